package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/dxlocal/dxlocal/internal/api"
	"github.com/dxlocal/dxlocal/internal/clock"
	"github.com/dxlocal/dxlocal/internal/id"
	"github.com/dxlocal/dxlocal/internal/journal"
	"github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/snapshot"
	"github.com/dxlocal/dxlocal/internal/store"
)

// drainTimeout bounds how long a stop waits for in-flight requests.
const drainTimeout = 10 * time.Second

// Run starts dxlocal and serves until ctx is done, then drains in-flight requests.
// It prints the listening address to stdout once requests are answered. Every error it
// returns happened at start (bad flag, catalog or address) except a failing drain.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := ParseConfig(args, getenv, stdout)
	if err != nil {
		return err
	}
	catalog := location.Default()
	if cfg.CatalogPath != "" {
		if catalog, err = location.LoadFile(cfg.CatalogPath); err != nil {
			return err
		}
	}
	logger := newLogger(cfg, stderr)
	defer logger.Sync()

	// One clock for every time of the emulator, the journal's included.
	clk := clock.NewShifted()
	jr := journal.New(journal.DefaultCapacity, clk)
	st := store.New(store.Options{
		Clock:          clk,
		IDs:            id.NewSource(cfg.Seed),
		OnChange:       jr.Observe,
		Catalog:        catalog,
		Dwell:          cfg.Dwell,
		Partners:       cfg.Partners,
		StrictPartners: cfg.StrictPartners,
	})
	if err := loadState(st, cfg.StateFile); err != nil {
		return err
	}
	handler := api.New(api.Options{Store: st, Logger: logger, DefaultAccount: cfg.Account, DefaultRegion: cfg.Region,
		AllowOrigins: cfg.AllowOrigins, StateFile: cfg.StateFile, Journal: jr})

	// Listen before serving, so that a busy port fails the start.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %v", cfg.Addr, err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	srv.RegisterOnShutdown(handler.Close) // journal reads that wait end at once
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "dxlocal listening on %s\n", ln.Addr())
	logger.Info("started", zap.String("addr", ln.Addr().String()), zap.Int("locations", len(catalog.Locations)),
		zap.Duration("dwell", cfg.Dwell), zap.Int("partners", len(cfg.Partners)))

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	drain, cancel := context.WithTimeout(context.Background(), drainTimeout)
	defer cancel()
	if err := srv.Shutdown(drain); err != nil {
		return fmt.Errorf("stopping: %v", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if cfg.StateFile != "" {
		// Every request has been answered: what is saved is what the clients saw last.
		if err := snapshot.WriteFile(cfg.StateFile, st.Snapshot()); err != nil {
			return err
		}
		logger.Info("state saved", zap.String("file", cfg.StateFile))
	}
	logger.Info("stopped")
	return nil
}

func newLogger(cfg Config, out io.Writer) *zap.Logger {
	level, _ := zapcore.ParseLevel(cfg.LogLevel)
	encCfg := zap.NewProductionEncoderConfig()
	encCfg.EncodeTime = zapcore.ISO8601TimeEncoder
	var enc zapcore.Encoder
	if cfg.LogFormat == "json" {
		enc = zapcore.NewJSONEncoder(encCfg)
	} else {
		encCfg.EncodeLevel = zapcore.CapitalLevelEncoder
		enc = zapcore.NewConsoleEncoder(encCfg)
	}
	return zap.New(zapcore.NewCore(enc, zapcore.AddSync(out), level))
}

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

// headerTimeout bounds reading a request's head; a real client sends it in one packet.
const headerTimeout = 10 * time.Second

// Run starts dxlocal and serves until ctx is done, then drains in-flight requests.
// It prints the listening address to stdout once requests are answered. Every error it
// returns happened at start (bad flag, catalog or address).
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return RunWithForce(ctx, nil, args, getenv, stdout, stderr)
}

// RunWithForce is Run with a second way to stop: once force is closed, a stop in progress
// no longer waits for in-flight requests (a second SIGINT or SIGTERM). A stop that ends
// requests early, by force or by the drain timeout, is still a normal stop: it logs what it
// closed and returns nil.
func RunWithForce(ctx context.Context, force <-chan struct{}, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := ParseConfig(args, getenv, stdout)
	if err != nil {
		return err
	}
	if cfg.ShowVersion {
		fmt.Fprintln(stdout, "dxlocal", Version())
		return nil
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
	inner, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %v", cfg.Addr, err)
	}
	ln := newLimitListener(inner, cfg.MaxConns)
	srv := newHTTPServer(cfg, withDeadlines(handler, cfg.ReadTimeout, cfg.WriteTimeout))
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
	logger.Info("stopping", zap.Int64("connections", ln.Open()))
	drain, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	if cfg.DrainTimeout > 0 {
		timer := time.AfterFunc(cfg.DrainTimeout, func() { cancel(errDrainTimeout) })
		defer timer.Stop()
	}
	go func() {
		select {
		case <-force:
			cancel(errForced)
		case <-drain.Done():
		}
	}()
	if err := srv.Shutdown(drain); err != nil {
		// Requests still in flight: close their connections and stop anyway.
		open := ln.Open()
		srv.Close()
		logger.Warn("closed connections still busy", zap.String("reason", context.Cause(drain).Error()),
			zap.Int64("connections", open))
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

var (
	errDrainTimeout = errors.New("drain timeout passed")
	errForced       = errors.New("asked to stop at once")
)

// newHTTPServer is the server with its limits. Each bound has a flag; see ParseConfig for the
// defaults and withDeadlines for how the read and write timeouts apply.
func newHTTPServer(cfg Config, handler http.Handler) *http.Server {
	srv := &http.Server{Handler: handler, ReadTimeout: cfg.ReadTimeout, IdleTimeout: cfg.IdleTimeout}
	if cfg.ReadTimeout > 0 {
		srv.ReadHeaderTimeout = min(headerTimeout, cfg.ReadTimeout)
	}
	if cfg.IdleTimeout == 0 {
		srv.IdleTimeout = -1 // zero would mean "the read timeout" to http.Server
	}
	return srv
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
	// A log line that cannot be written (stderr closed: "dxlocal 2>&1 | grep -m1 listening")
	// is dropped; reporting that to stderr would fail the same way. The process ignores
	// SIGPIPE (see cmd/dxlocal), so such a write fails without ending it.
	return zap.New(zapcore.NewCore(enc, zapcore.AddSync(out), level), zap.ErrorOutput(zapcore.AddSync(io.Discard)))
}

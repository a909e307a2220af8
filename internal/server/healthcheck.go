package server

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// Healthcheck asks the dxlocal at -addr (or DXLOCAL_ADDR, so that it finds the server of the
// same container) for GET /_dxlocal/health and returns nil when it answers 200. It is what a
// distroless image, which has no curl, can run as its Docker HEALTHCHECK. out receives one
// line on success, or the usage for -h (then ErrHelp).
func Healthcheck(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	addr := getenv("DXLOCAL_ADDR")
	if addr == "" {
		addr = "127.0.0.1:4599"
	}
	timeout := 5 * time.Second
	fs := flag.NewFlagSet("dxlocal healthcheck", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&addr, "addr", addr, "address of the dxlocal to check, HOST:PORT (env DXLOCAL_ADDR)")
	fs.DurationVar(&timeout, "timeout", timeout, "how long to wait for the answer")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(out, "Usage: dxlocal healthcheck [flags]\n\nExits 0 when the dxlocal at -addr answers GET /_dxlocal/health with 200, 1 otherwise.\n\nFlags:")
			fs.SetOutput(out)
			fs.PrintDefaults()
			return ErrHelp
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	url := "http://" + dialable(addr) + "/_dxlocal/health"
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("-addr %q: %v", addr, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s answered %s", url, resp.Status)
	}
	fmt.Fprintf(out, "GET %s answered %s\n", url, resp.Status)
	return nil
}

// dialable turns a listen address into one to connect to: a server listening on every
// interface (0.0.0.0:4599, [::]:4599, :4599, as in the container) is reached on loopback.
func dialable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	switch ip := net.ParseIP(host); {
	case host == "":
		host = "127.0.0.1"
	case ip != nil && ip.IsUnspecified() && ip.To4() != nil:
		host = "127.0.0.1"
	case ip != nil && ip.IsUnspecified():
		host = "::1"
	}
	return net.JoinHostPort(host, port)
}

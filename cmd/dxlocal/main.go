// Command dxlocal is an in-memory emulator of the AWS Direct Connect API.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/dxlocal/dxlocal/internal/server"
)

func main() {
	// A closed stdout or stderr (its reader, such as "grep -m1 listening", has exited) must not
	// stop the server: without this, Go ends the process on the first write to it.
	signal.Ignore(syscall.SIGPIPE)

	if len(os.Args) > 1 && os.Args[1] == "healthcheck" {
		// Docker reads 0 as healthy and 1 as unhealthy (2 is reserved), so every failure is 1.
		if err := server.Healthcheck(context.Background(), os.Args[2:], os.Getenv, os.Stdout); err != nil &&
			!errors.Is(err, server.ErrHelp) {
			fmt.Fprintf(os.Stderr, "dxlocal healthcheck: %v\n", err)
			os.Exit(1)
		}
		return
	}

	// The first signal begins a stop that waits for in-flight requests; a second ends them.
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	ctx, stop := context.WithCancel(context.Background())
	force := make(chan struct{})
	go func() {
		<-signals
		stop()
		<-signals
		close(force)
	}()
	err := server.RunWithForce(ctx, force, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	switch {
	case err == nil, errors.Is(err, server.ErrHelp):
	default:
		fmt.Fprintf(os.Stderr, "dxlocal: %v\n", err)
		os.Exit(2)
	}
}

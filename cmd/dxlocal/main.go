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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := server.Run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	switch {
	case err == nil, errors.Is(err, server.ErrHelp):
	default:
		fmt.Fprintf(os.Stderr, "dxlocal: %v\n", err)
		os.Exit(2)
	}
}

package store

import (
	"time"

	"github.com/dxlocal/dxlocal/internal/dxgw"
	"github.com/dxlocal/dxlocal/internal/gateway"
)

// Association is a DX gateway's association with a VGW or TGW. Values handed out are copies.
type Association struct {
	ID           string
	GatewayID    string
	GatewayOwner string
	// Associated is the VGW's or TGW's registry record.
	Associated       gateway.Record
	State            string
	StateChangeError string
	Prefixes         dxgw.Prefixes

	since time.Time
}

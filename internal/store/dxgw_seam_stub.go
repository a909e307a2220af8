// Temporary stand-in for i7-dxgw's gatewayBook; removed at merge.
package store

import (
	"sync"
	"time"

	"github.com/dxlocal/dxlocal/internal/dxerr"
)

// gatewayBook is the global book of Direct Connect gateways (SEAM-i7.md). LOCK ORDER: its
// mutex is always taken before any Region's mutex, never after.
type gatewayBook struct {
	mu       sync.Mutex // guards gateways
	gateways map[string]*stubGateway
}

type stubGateway struct {
	ref         DXGatewayRef
	attachments map[string]Attachment // by VIF id; detached ones are dropped
}

func newGatewayBook() *gatewayBook { return &gatewayBook{gateways: map[string]*stubGateway{}} }

func (b *gatewayBook) reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.gateways = map[string]*stubGateway{}
}

// lockGateways takes the book's mutex; it returns now.
func (s *Store) lockGateways() time.Time {
	s.dxgws.mu.Lock()
	return s.opts.Clock.Now()
}

func (s *Store) unlockGateways() { s.dxgws.mu.Unlock() }

// DXGatewayRef is what a VIF needs to know of a gateway.
type DXGatewayRef struct {
	ID            string
	Owner         string
	AmazonSideAsn int64
}

// AttachmentKind tells a private VIF's attachment from a transit VIF's.
type AttachmentKind uint8

const (
	AttachPrivate AttachmentKind = iota + 1
	AttachTransit
)

// Attachment is a VIF attached to a DX gateway.
type Attachment struct {
	VirtualInterfaceID string
	Region             string
	Owner              string
	Kind               AttachmentKind
}

// checkAttach reports whether a VIF of account with kind may attach to gateway id. The stand-in
// knows no associations, so only existence, ownership and the attachment quota are checked.
func (s *Store) checkAttach(id, account string, kind AttachmentKind) (DXGatewayRef, error) {
	g, ok := s.dxgws.gateways[id]
	if !ok || g.ref.Owner != account {
		return DXGatewayRef{}, dxerr.New(dxerr.NotFound, "Direct Connect gateway %s does not exist", id)
	}
	if max := s.Quotas().AttachmentsPerGateway; len(g.attachments) >= max {
		return DXGatewayRef{}, dxerr.New(dxerr.Limit, "Attachment limit of %d exceeded for Direct Connect gateway %s.", max, id)
	}
	return g.ref, nil
}

func (s *Store) attach(gatewayID string, a Attachment, now time.Time) {
	s.dxgws.gateways[gatewayID].attachments[a.VirtualInterfaceID] = a
}

func (s *Store) detach(gatewayID, vifID string, now time.Time) {
	if g, ok := s.dxgws.gateways[gatewayID]; ok {
		delete(g.attachments, vifID)
	}
}

// AddTestDXGateway makes a gateway in the stand-in book, for tests until DX gateways exist.
func (s *Store) AddTestDXGateway(id, owner string, asn int64) {
	s.lockGateways()
	defer s.unlockGateways()
	s.dxgws.gateways[id] = &stubGateway{ref: DXGatewayRef{ID: id, Owner: owner, AmazonSideAsn: asn}, attachments: map[string]Attachment{}}
}

// TestDXGatewayAttachments lists the VIF ids attached to a stand-in gateway.
func (s *Store) TestDXGatewayAttachments(id string) []string {
	s.lockGateways()
	defer s.unlockGateways()
	var out []string
	if g, ok := s.dxgws.gateways[id]; ok {
		for v := range g.attachments {
			out = append(out, v)
		}
	}
	return out
}

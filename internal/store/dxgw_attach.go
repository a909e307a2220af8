package store

import (
	"slices"
	"time"

	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/dxgw"
	"github.com/dxlocal/dxlocal/internal/gateway"
	"github.com/dxlocal/dxlocal/internal/page"
)

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
	Owner              string // the VIF's owner account
	Kind               AttachmentKind
}

// attachment is an Attachment as the book keeps it, with its state.
type attachment struct {
	Attachment
	GatewayID string
	State     string
	// order is the attachment's place among the book's attachments (gatewayBook.attached);
	// since is when it entered its state.
	order  uint64
	since  time.Time
	queued uint64 // as a DXGateway's
}

// GatewayAttachment is an attachment as DescribeDirectConnectGatewayAttachments reads it.
type GatewayAttachment struct {
	Attachment
	GatewayID string
	State     string
}

// checkAttach reports whether a VIF of account (the VIF's owner) with kind may attach to gateway id:
// the gateway exists and is available, the attachment quota (s.Quotas().AttachmentsPerGateway) is not
// reached, and the kind fits the gateway's associations (behaviour.md §5.6/5.7). A NotFound error
// names the id. Called with the book locked; it changes nothing.
//
// A VIF attaches only to a gateway of its own account; another account's gateway answers as
// unknown (associations, through proposals, are what cross accounts).
func (s *Store) checkAttach(id, account string, kind AttachmentKind) (DXGatewayRef, error) {
	g, err := s.ownGateway(Caller{Account: account}, id)
	if err != nil {
		return DXGatewayRef{}, err
	}
	if g.State != dxgw.GatewayAvailable {
		return DXGatewayRef{}, inState("Direct Connect gateway", g.ID, g.State)
	}
	live := 0
	for a := range s.dxgws.attachmentsByGateway.get(g.ID).all() {
		if dxgw.LiveAttachment(a.State) {
			live++
		}
	}
	if max := s.Quotas().AttachmentsPerGateway; live >= max {
		return DXGatewayRef{}, dxerr.New(dxerr.Limit, "Virtual interface attachment limit of %d exceeded for Direct Connect gateway %s.", max, g.ID)
	}
	// A gateway carries private VIFs to VGWs or transit VIFs to TGWs, never both.
	for _, a := range s.dxgws.associationsByGateway[g.ID] {
		if a.State == dxgw.AssociationDisassociated {
			continue
		}
		switch {
		case kind == AttachPrivate && a.Associated.Type() == gateway.TransitGateway:
			return DXGatewayRef{}, dxerr.New(dxerr.Invalid, "Direct Connect gateway %s is associated with transit gateway %s; a private virtual interface cannot attach to it.", g.ID, a.Associated.ID)
		case kind == AttachTransit && a.Associated.Type() == gateway.VirtualPrivateGateway:
			return DXGatewayRef{}, dxerr.New(dxerr.Invalid, "Direct Connect gateway %s is associated with virtual private gateway %s; a transit virtual interface cannot attach to it.", g.ID, a.Associated.ID)
		}
	}
	return g.ref(), nil
}

// attach records a (checked) attachment, in state attaching, settling to attached after one dwell;
// it cannot fail. detach starts its detaching -> detached. Both with the book locked.
func (s *Store) attach(gatewayID string, a Attachment, now time.Time) {
	b := s.dxgws
	b.attached++
	at := &attachment{Attachment: a, GatewayID: gatewayID, order: b.attached}
	b.attachmentsByGateway.add(gatewayID, at)
	b.attachmentsByVIF.add(a.VirtualInterfaceID, at)
	s.setAttachmentState(at, dxgw.AttachmentAttaching, now)
}

func (s *Store) detach(gatewayID, vifID string, now time.Time) {
	for at := range s.dxgws.attachmentsByVIF.get(vifID).all() {
		if at.GatewayID == gatewayID && dxgw.LiveAttachment(at.State) {
			s.setAttachmentState(at, dxgw.AttachmentDetaching, now)
		}
	}
}

// setAttachmentState is the one way an attachment's state changes. Attachments have no id and
// no resource type of their own (the journal reports their VIF's changes), so nothing is
// emitted. A detached attachment is kept for the retention time, then forgotten.
func (s *Store) setAttachmentState(at *attachment, state string, when time.Time) {
	at.State = state
	at.since = when
	s.scheduleAttachment(s.dxgws, at)
}

// scheduleAttachment puts at's next automatic change, or the end of its retention, in b's due
// queue. The entry does nothing if at has moved on meanwhile.
func (s *Store) scheduleAttachment(b *gatewayBook, at *attachment) {
	state, since := at.State, at.since
	if next, auto := dxgw.AttachmentNext(state); auto {
		at.queued = b.later(since.Add(s.opts.Dwell), func(due time.Time) {
			if at.State == state && at.since.Equal(since) {
				s.setAttachmentState(at, next, due)
			}
		})
	}
	if state == dxgw.AttachmentDetached {
		b.later(since.Add(s.opts.Retention), func(time.Time) {
			b := s.dxgws
			b.attachmentsByGateway.remove(at.GatewayID, at)
			b.attachmentsByVIF.remove(at.VirtualInterfaceID, at)
		})
	}
}

// DescribeDirectConnectGatewayAttachments lists the attachments of a gateway, of a VIF, or of
// both. The gateway's owner sees every attachment of its gateway; a VIF's owner sees its VIF's.
func (s *Store) DescribeDirectConnectGatewayAttachments(c Caller, gatewayID, vifID string, pg page.Request) ([]GatewayAttachment, string, error) {
	s.lockGateways()
	defer s.unlockGateways()
	b := s.dxgws
	var list []*attachment
	switch {
	case gatewayID == "" && vifID == "":
		return nil, "", dxerr.New(dxerr.Invalid, "Must specify a Direct Connect gateway or a virtual interface.")
	case gatewayID != "":
		id, err := dxgw.GatewayID(gatewayID)
		if err != nil {
			return nil, "", err
		}
		gatewayID = id
		list = slices.Collect(b.attachmentsByGateway.get(id).all())
	default:
		list = slices.Collect(b.attachmentsByVIF.get(vifID).all())
	}
	visible := make([]*attachment, 0, len(list))
	for _, at := range list {
		if vifID != "" && at.VirtualInterfaceID != vifID || gatewayID != "" && at.GatewayID != gatewayID {
			continue
		}
		g := b.gateways[at.GatewayID]
		if at.Owner == c.Account || g != nil && g.Owner == c.Account {
			visible = append(visible, at)
		}
	}
	start, end, next, err := pg.Window(len(visible))
	if err != nil {
		return nil, "", err
	}
	out := make([]GatewayAttachment, 0, end-start)
	for _, at := range visible[start:end] {
		out = append(out, GatewayAttachment{Attachment: at.Attachment, GatewayID: at.GatewayID, State: at.State})
	}
	return out, next, nil
}

// VirtualGateways lists the caller's VGWs in the request region from the EC2 gateway registry,
// in registration order. dxlocal does not model a VGW's own life: each registered one is
// available.
func (s *Store) VirtualGateways(c Caller) []gateway.Record {
	var out []gateway.Record
	for _, rec := range s.gateways.List() {
		if rec.Type() == gateway.VirtualPrivateGateway && rec.OwnerAccount == c.Account && rec.Region == c.Region {
			out = append(out, rec)
		}
	}
	return out
}

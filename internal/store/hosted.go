package store

import (
	"slices"
	"strings"
	"time"

	"github.com/dxlocal/dxlocal/internal/account"
	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/page"
	"github.com/dxlocal/dxlocal/internal/tag"
)

// hostedMbps are the bandwidths of hosted connections, in Mbps.
var hostedMbps = map[string]int{
	"50Mbps": 50, "100Mbps": 100, "200Mbps": 200, "300Mbps": 300, "400Mbps": 400, "500Mbps": 500,
	"1Gbps": 1000, "2Gbps": 2000, "5Gbps": 5000, "10Gbps": 10000, "25Gbps": 25000,
}

// hostedBandwidths spells the valid hosted bandwidths for a message, ascending; 25Gbps only
// for AllocateHostedConnection, as for the checks.
func hostedBandwidths(interconnectOnly bool) string {
	names := make([]string, 0, len(hostedMbps))
	for name := range hostedMbps {
		if !(interconnectOnly && name == "25Gbps") {
			names = append(names, name)
		}
	}
	slices.SortFunc(names, func(a, b string) int { return hostedMbps[a] - hostedMbps[b] })
	return strings.Join(names, ", ")
}

// NewHosted is an AllocateHostedConnection or AllocateConnectionOnInterconnect request.
type NewHosted struct {
	ParentID     string
	OwnerAccount string
	Bandwidth    string
	Name         string
	VLAN         int
	Tags         []tag.Tag
	// InterconnectOnly is AllocateConnectionOnInterconnect: the parent must be an interconnect
	// and 25Gbps is not offered.
	InterconnectOnly bool
}

// hostedParent is an interconnect or a LAG that allows hosted connections.
type hostedParent struct {
	id       string
	ic       *Connection
	lag      *Lag
	capacity int // Mbps
}

func (p hostedParent) locationCode() string {
	if p.ic != nil {
		return p.ic.Location.Code
	}
	return p.lag.Location.Code
}

// ownParent finds the caller's live interconnect or hosted-capable LAG.
func (r *Region) ownParent(c Caller, id string, interconnectOnly bool) (hostedParent, error) {
	notFound := connNotFound
	check := checkConnectionID
	if interconnectOnly {
		notFound, check = interconnectNotFound, checkInterconnectID
	}
	if err := check(id); err != nil {
		return hostedParent{}, err
	}
	if ic, ok := r.ownConn(c, id, Interconnect); ok {
		if !live(ic.State) || ic.State == StateDeleting {
			return hostedParent{}, inState("Interconnect", id, ic.State)
		}
		return hostedParent{id: id, ic: ic, capacity: speedMbps(ic.Bandwidth)}, nil
	}
	if l, ok := r.lags[id]; ok && l.Owner == c.Account && !interconnectOnly {
		if !l.Deleted.IsZero() {
			return hostedParent{}, inState("Lag", id, StateDeleted)
		}
		if !l.AllowsHostedConnections {
			return hostedParent{}, dxerr.New(dxerr.Invalid, "Lag %s does not allow hosted connections.", id)
		}
		return hostedParent{id: id, lag: l, capacity: speedMbps(l.Bandwidth) * len(l.members)}, nil
	}
	return hostedParent{}, notFound(id)
}

// speedMbps is a port speed (1Gbps ... 400Gbps) in Mbps.
func speedMbps(bw string) int { return location.Speed(bw).Mbps() }

// hostedOn lists the live hosted connections of a parent; deleting ones have already given
// back their VLAN and bandwidth.
func (r *Region) hostedOn(parentID string) []*Connection {
	var out []*Connection
	for h := range r.hosted.get(parentID).all() {
		if live(h.State) && h.State != StateDeleting {
			out = append(out, h)
		}
	}
	return out
}

// hostedLoad is the bandwidth, in Mbps, of the live hosted connections of a parent.
func (r *Region) hostedLoad(parentID string) int {
	load := 0
	for _, h := range r.hostedOn(parentID) {
		load += hostedMbps[h.Bandwidth]
	}
	return load
}

// checkMemberRemoval refuses to take member out of LAG l (a delete, a disassociation, a move
// to another LAG) when the LAG's live hosted connections would then need more than the
// members left can carry: the live hosted bandwidth on a parent never exceeds member speed ×
// member count (behaviour.md §4.6), the rule AllocateHostedConnection applies. AWS documents
// neither the rule nor the refusal; dxlocal keeps its own invariant rather than report
// "20000 of 0 Mbps allocated".
func (r *Region) checkMemberRemoval(l *Lag, member string) error {
	load := r.hostedLoad(l.ID)
	if load == 0 {
		return nil
	}
	left := len(l.members) - 1
	if capacity := speedMbps(l.Bandwidth) * left; load > capacity {
		return dxerr.New(dxerr.Conflict, "Lag %s carries %d Mbps of hosted connections; without %s its capacity would be %d Mbps (%d × %s). Delete or move hosted connections first.",
			l.ID, load, member, capacity, left, l.Bandwidth)
	}
	return nil
}

// checkHostedFit refuses a VLAN already used on the parent or a bandwidth beyond what the
// parent has left. skip is a hosted connection that does not count (the one being moved).
func (r *Region) checkHostedFit(p hostedParent, vlan int, bandwidth string, skip *Connection) error {
	used := 0
	for _, h := range r.hostedOn(p.id) {
		if h == skip {
			continue
		}
		if h.VLAN == vlan {
			return dxerr.New(dxerr.Conflict, "VLAN %d is already in use on %s.", vlan, p.id)
		}
		used += hostedMbps[h.Bandwidth]
	}
	if used+hostedMbps[bandwidth] > p.capacity {
		kind := "Interconnect"
		if p.lag != nil {
			kind = "Lag"
		}
		return dxerr.New(dxerr.Limit, "%s %s does not have enough available bandwidth for %s (%d of %d Mbps allocated).", kind, p.id, bandwidth, used, p.capacity)
	}
	return nil
}

// checkHostedBandwidth applies the bandwidth rules that do not depend on the parent's load.
func (r *Region) checkHostedBandwidth(c Caller, spec NewHosted, p hostedParent) error {
	mbps, ok := hostedMbps[spec.Bandwidth]
	if !ok || (spec.InterconnectOnly && spec.Bandwidth == "25Gbps") {
		return dxerr.New(dxerr.Invalid, "Bandwidth %s is not supported. Valid values: %s.", spec.Bandwidth, hostedBandwidths(spec.InterconnectOnly))
	}
	portMbps := speedMbps(p.parentSpeed())
	if mbps > portMbps {
		return dxerr.New(dxerr.Invalid, "Bandwidth %s exceeds the %s port speed of %s.", spec.Bandwidth, p.parentSpeed(), p.id)
	}
	if spec.Bandwidth == "25Gbps" && portMbps < 100000 {
		return dxerr.New(dxerr.Invalid, "Bandwidth 25Gbps needs a parent of 100Gbps or more; %s is %s.", p.id, p.parentSpeed())
	}
	if !r.store.opts.StrictPartners {
		return nil
	}
	partner, _ := r.store.Partner(c.Account)
	switch {
	case partner.NNIType == NNIPartnerV1 && mbps >= 1000:
		return dxerr.New(dxerr.Invalid, "Bandwidth %s is not available to partner %s of NNI type v1: only speeds below 1Gbps.", spec.Bandwidth, c.Account)
	case partner.NNIType == NNIPartnerV2 && mbps < 1000:
		return dxerr.New(dxerr.Invalid, "Bandwidth %s is not available to partner %s of NNI type v2: only 1Gbps and above.", spec.Bandwidth, c.Account)
	}
	return nil
}

func (p hostedParent) parentSpeed() string {
	if p.ic != nil {
		return p.ic.Bandwidth
	}
	return p.lag.Bandwidth
}

// AllocateHostedConnection creates a hosted connection for a customer on the caller's
// interconnect or LAG. It takes a VLAN and a share of the parent's bandwidth, no port.
func (r *Region) AllocateHostedConnection(c Caller, spec NewHosted) (Connection, error) {
	now := r.lock()
	defer r.unlock()
	if err := r.checkPartner(c); err != nil {
		return Connection{}, err
	}
	if !account.IsID(spec.OwnerAccount) {
		return Connection{}, dxerr.New(dxerr.Invalid, "ownerAccount %s is not a valid account id.", spec.OwnerAccount)
	}
	if spec.VLAN < 1 || spec.VLAN > 4094 {
		return Connection{}, dxerr.New(dxerr.Invalid, "vlan %d is not valid: it must be between 1 and 4094.", spec.VLAN)
	}
	if err := r.checkNewTags(spec.Tags); err != nil {
		return Connection{}, err
	}
	p, err := r.ownParent(c, spec.ParentID, spec.InterconnectOnly)
	if err != nil {
		return Connection{}, err
	}
	if err := r.checkHostedBandwidth(c, spec, p); err != nil {
		return Connection{}, err
	}
	if err := r.checkHostedFit(p, spec.VLAN, spec.Bandwidth, nil); err != nil {
		return Connection{}, err
	}
	h := &Connection{
		ID:        r.store.opts.IDs.New("dxcon"),
		Kind:      Hosted,
		Name:      spec.Name,
		Owner:     spec.OwnerAccount,
		Partner:   c.Account,
		Region:    r.name,
		Bandwidth: spec.Bandwidth,
		State:     StateOrdering,
		VLAN:      spec.VLAN,
		Tags:      spec.Tags,
		created:   now,
		since:     now,
	}
	r.placeHosted(h, p)
	h.PartnerName = r.partnerName(c.Account, p)
	r.addConn(h)
	r.hosted.add(p.id, h)
	return h.clone(), nil
}

// placeHosted puts h on parent p: its location, device and LAG follow the parent.
func (r *Region) placeHosted(h *Connection, p hostedParent) {
	h.ParentID = p.id
	if p.ic != nil {
		h.Location, h.Device, h.LagID = p.ic.Location, p.ic.Device, p.ic.LagID
		h.ParentMacSec = p.ic.MacSecCapable
	} else {
		h.Location, h.Device, h.LagID = p.lag.Location, p.lag.Device, p.lag.ID
		h.ParentMacSec = p.lag.MacSecCapable
	}
}

// partnerName is what a hosted connection shows as its partner: the partner's configured
// name, else the parent's provider name, else the partner's account id.
func (r *Region) partnerName(account string, p hostedParent) string {
	if partner, ok := r.store.Partner(account); ok && partner.Name != "" {
		return partner.Name
	}
	provider := ""
	if p.ic != nil {
		provider = p.ic.ProviderName
	} else {
		provider = p.lag.ProviderName
	}
	if provider != "" {
		return provider
	}
	return account
}

// DescribeHostedConnections lists the hosted connections of the caller's interconnect or LAG,
// deleted and rejected ones included while they are retained. Their tags are the customer's
// and are not shown to the partner.
//
// Given the id of a hosted connection the caller allocated, it answers that one connection,
// as AWS did until 2025: the AWS provider for Terraform before 6.5 reads aws_dx_hosted_connection
// that way (hashicorp/terraform-provider-aws#43499); AWS now refuses it.
func (r *Region) DescribeHostedConnections(c Caller, parentID string, pg page.Request) ([]Connection, string, error) {
	r.lock()
	defer r.unlock()
	if err := checkConnectionID(parentID); err != nil {
		return nil, "", err
	}
	if h, ok := r.ownHostedAsPartner(c, parentID); ok {
		conns, _, err := pageOne(h, pg)
		for i := range conns {
			conns[i].Tags = nil
		}
		return conns, "", err
	}
	_, isIC := r.ownConn(c, parentID, Interconnect)
	l, isLag := r.lags[parentID]
	if !isIC && !(isLag && l.Owner == c.Account) {
		return nil, "", dxerr.New(dxerr.NotFound, "%s DescribeHostedConnections failed for connection %s doesn't exist.", c.Account, parentID)
	}
	conns, next, err := pageOf(r.hosted.get(parentID), pg)
	for i := range conns {
		conns[i].Tags = nil
	}
	return conns, next, err
}

// DescribeConnectionsOnInterconnect lists the hosted connections of the caller's interconnect.
func (r *Region) DescribeConnectionsOnInterconnect(c Caller, id string) ([]Connection, error) {
	r.lock()
	defer r.unlock()
	if _, err := r.ownInterconnect(c, id); err != nil {
		return nil, err
	}
	conns, _, err := pageOf(r.hosted.get(id), page.Request{})
	for i := range conns {
		conns[i].Tags = nil
	}
	return conns, err
}

// ownHostedAsPartner finds a hosted connection whose parent the caller owns.
func (r *Region) ownHostedAsPartner(c Caller, id string) (*Connection, bool) {
	h, ok := r.conns[id]
	if !ok || h.Kind != Hosted || h.Partner != c.Account {
		return nil, false
	}
	return h, true
}

// AssociateHostedConnection moves a hosted connection to another of the partner's
// interconnects or LAGs at the same location; VLAN and bandwidth rules apply on the target.
func (r *Region) AssociateHostedConnection(c Caller, id, parentID string) (Connection, error) {
	r.lock()
	defer r.unlock()
	if err := checkConnectionID(id); err != nil {
		return Connection{}, err
	}
	h, ok := r.ownHostedAsPartner(c, id)
	if !ok {
		return Connection{}, connNotFound(id)
	}
	if !live(h.State) || h.State == StateDeleting {
		return Connection{}, inState("Connection", id, h.State)
	}
	p, err := r.ownParent(c, parentID, false)
	if err != nil {
		return Connection{}, err
	}
	if h.ParentID == p.id {
		return h.clone(), nil
	}
	if p.locationCode() != h.Location.Code {
		return Connection{}, dxerr.New(dxerr.Invalid, "Connection %s is at location %s but %s is at %s.", id, h.Location.Code, p.id, p.locationCode())
	}
	if mbps := hostedMbps[h.Bandwidth]; mbps > speedMbps(p.parentSpeed()) {
		return Connection{}, dxerr.New(dxerr.Invalid, "Bandwidth %s exceeds the %s port speed of %s.", h.Bandwidth, p.parentSpeed(), p.id)
	}
	if err := r.checkHostedFit(p, h.VLAN, h.Bandwidth, h); err != nil {
		return Connection{}, err
	}
	if err := r.checkHostedVIFAddresses(h, p.id); err != nil {
		return Connection{}, err
	}
	r.hosted.remove(h.ParentID, h)
	r.placeHosted(h, p)
	r.followHosted(h)
	r.hosted.add(p.id, h)
	return h.clone(), nil
}

// ConfirmConnection is the customer accepting a hosted connection: ordering -> pending.
func (r *Region) ConfirmConnection(c Caller, id string) (string, error) {
	now := r.lock()
	defer r.unlock()
	if err := checkConnectionID(id); err != nil {
		return "", err
	}
	h, ok := r.ownConn(c, id, Hosted)
	if !ok {
		return "", connNotFound(id)
	}
	if h.State != StateOrdering {
		return "", dxerr.New(dxerr.Conflict, "ConfirmConnection failed. %s is in state %s", id, h.State)
	}
	r.setState(h, StatePending, now, CauseCall)
	return h.State, nil
}

// deleteHosted deletes a hosted connection for its customer or its partner. A customer who
// deletes one still ordering rejects it; the partner withdraws it.
func (r *Region) deleteHosted(c Caller, h *Connection, now time.Time) {
	switch {
	case !live(h.State) || h.State == StateDeleting:
	case h.State == StateOrdering && c.Account == h.Owner:
		r.setState(h, StateRejected, now, CauseCall)
	case h.State == StateOrdering:
		r.setState(h, StateDeleted, now, CauseCall)
	default:
		r.setState(h, StateDeleting, now, CauseCall)
	}
}

// Package snapshot is the format of dxlocal's whole state as one JSON document: what
// GET /_dxlocal/state answers, PUT /_dxlocal/state takes and the -state file holds. It is plain
// data with JSON tags and no rules; the store checks a document against the catalog before it
// takes it.
//
// The format is versioned by the top-level "format" member. Members may be added to any object
// (a resource family that joins adds its list; older files, which lack it, keep loading), but
// never renamed or given another meaning without a new format number.
package snapshot

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Format is the format number this package reads and writes.
const Format = 1

// State is everything dxlocal's reset would clear except faults and the journal.
type State struct {
	Format int `json:"format"`
	// Clock is the emulator's time when the state was taken.
	Clock time.Time `json:"clock"`
	// IDs is where the id sequence stands, so that ids after a restore go on as they would have.
	IDs IDs `json:"ids"`
	// Sequence counts the resources ever created; each resource's Order is its place in it.
	Sequence   uint64      `json:"sequence"`
	Quotas     Quotas      `json:"quotas"`
	Partners   []Partner   `json:"partners"`
	Agreements []Agreement `json:"agreements"`
	Gateways   []Gateway   `json:"gateways"`
	// Regions holds the regional resources, one entry per region that has any, by name.
	Regions []Region `json:"regions"`

	// The gateway book: Direct Connect gateways, their associations, association proposals and
	// attachments, which are global (outside every region). Each list is in creation order and
	// absent when empty, so that files written before gateways were saved still load.
	DirectConnectGateways []DXGateway           `json:"directConnectGateways,omitempty"`
	GatewayAssociations   []GatewayAssociation  `json:"gatewayAssociations,omitempty"`
	AssociationProposals  []AssociationProposal `json:"associationProposals,omitempty"`
	GatewayAttachments    []GatewayAttachment   `json:"gatewayAttachments,omitempty"`
	// GatewayQueue counts the book's scheduled automatic changes; each resource's Queued is
	// its place in that count.
	GatewayQueue uint64 `json:"gatewayQueue,omitempty"`
}

// DXGateway is a Direct Connect gateway (deleted ones are gone at once).
type DXGateway struct {
	Order            uint64 `json:"order"`
	ID               string `json:"id"`
	Name             string `json:"name"`
	OwnerAccount     string `json:"ownerAccount"`
	AmazonSideAsn    int64  `json:"amazonSideAsn"`
	State            string `json:"state"`
	StateChangeError string `json:"stateChangeError,omitempty"`
	Tags             []Tag  `json:"tags,omitempty"`
	// Since is when the current dwell began (the state was entered, or a hold released).
	Since time.Time `json:"since"`
	Hold  bool      `json:"hold,omitempty"`
	// Queued orders the automatic changes due at the same time, lowest first.
	Queued uint64 `json:"queued,omitempty"`
}

// GatewayAssociation is a Direct Connect gateway's association with a VGW or TGW, which is a
// record of the gateway registry (Gateways). Disassociated ones are kept while retained; their
// Direct Connect gateway may be gone by then.
type GatewayAssociation struct {
	Order                  uint64    `json:"order"`
	ID                     string    `json:"id"`
	DirectConnectGatewayID string    `json:"directConnectGatewayId"`
	GatewayOwnerAccount    string    `json:"directConnectGatewayOwnerAccount"`
	AssociatedGatewayID    string    `json:"associatedGatewayId"`
	State                  string    `json:"state"`
	StateChangeError       string    `json:"stateChangeError,omitempty"`
	AllowedPrefixes        []string  `json:"allowedPrefixes,omitempty"`
	Since                  time.Time `json:"since"`
	Hold                   bool      `json:"hold,omitempty"`
	Queued                 uint64    `json:"queued,omitempty"`
}

// AssociationProposal is another account's proposal to associate its VGW or TGW (a registry
// record) with a Direct Connect gateway, or to change the prefixes of that association.
type AssociationProposal struct {
	Order                  uint64   `json:"order"`
	ID                     string   `json:"id"`
	DirectConnectGatewayID string   `json:"directConnectGatewayId"`
	GatewayOwnerAccount    string   `json:"directConnectGatewayOwnerAccount"`
	AssociatedGatewayID    string   `json:"associatedGatewayId"`
	State                  string   `json:"state"`
	Add                    []string `json:"addPrefixes,omitempty"`
	Remove                 []string `json:"removePrefixes,omitempty"`
	// Existing are the prefixes of the association the proposal would update; absent (null)
	// for a proposal of a new association, [] for an association without prefixes.
	Existing *[]string `json:"existingPrefixes,omitempty"`
	Since    time.Time `json:"since"`
	// Expires is when a requested proposal is deleted by itself.
	Expires time.Time `json:"expires,omitzero"`
	Hold    bool      `json:"hold,omitempty"`
	Queued  uint64    `json:"queued,omitempty"`
}

// GatewayAttachment is a virtual interface attached to a Direct Connect gateway. Detached ones
// are kept while retained; their gateway may be gone by then.
type GatewayAttachment struct {
	DirectConnectGatewayID string    `json:"directConnectGatewayId"`
	VirtualInterfaceID     string    `json:"virtualInterfaceId"`
	Region                 string    `json:"region"`
	OwnerAccount           string    `json:"ownerAccount"`
	Kind                   string    `json:"kind"` // private or transit
	State                  string    `json:"state"`
	Since                  time.Time `json:"since"`
	Queued                 uint64    `json:"queued,omitempty"`
}

// IDs is the state of the id source's random generator (its own binary encoding).
type IDs struct {
	RNG []byte `json:"rng"`
}

// Quotas are the quotas in force, by the names of the admin API's /_dxlocal/quotas.
type Quotas struct {
	ConnectionsPerLocation        int `json:"connectionsPerLocation"`
	LagsPerRegion                 int `json:"lagsPerRegion"`
	VifsPerConnection             int `json:"vifsPerConnection"`
	TransitVifsPerConnection      int `json:"transitVifsPerConnection"`
	VifsPerHostedConnection       int `json:"vifsPerHostedConnection"`
	GatewaysPerAccount            int `json:"gatewaysPerAccount"`
	VgwAssociationsPerGateway     int `json:"vgwAssociationsPerGateway"`
	TgwAssociationsPerGateway     int `json:"tgwAssociationsPerGateway"`
	AttachmentsPerGateway         int `json:"attachmentsPerGateway"`
	GatewaysPerTransitGateway     int `json:"gatewaysPerTransitGateway"`
	RouteFilterPrefixes           int `json:"routeFilterPrefixes"`
	AllowedPrefixesPerAssociation int `json:"allowedPrefixesPerAssociation"`
	TagsPerResource               int `json:"tagsPerResource"`
}

// Partner is one Direct Connect Partner's settings.
type Partner struct {
	Account        string `json:"account"`
	NNIPartnerType string `json:"nniPartnerType,omitempty"`
	PartnerName    string `json:"partnerName,omitempty"`
}

// Agreement lists the customer agreements one account has signed, in signing order.
type Agreement struct {
	Account string   `json:"account"`
	Names   []string `json:"names"`
}

// Gateway is one record of the EC2 gateway registry, in registration order.
type Gateway struct {
	GatewayID     string   `json:"gatewayId"`
	OwnerAccount  string   `json:"ownerAccount"`
	Region        string   `json:"region"`
	AmazonSideAsn *int64   `json:"amazonSideAsn,omitempty"`
	VpcCidrs      []string `json:"vpcCidrs,omitempty"`
}

// Region is the regional resources of one region.
type Region struct {
	Name string `json:"name"`
	// Connections are the dedicated connections, hosted connections and interconnects, in
	// creation order, deleted ones included while they are retained.
	Connections []Connection `json:"connections"`
	Lags        []Lag        `json:"lags"`
	// Hosted lists, per interconnect or LAG id, its hosted connections in the order they joined.
	Hosted map[string][]string `json:"hosted,omitempty"`
	// Secrets are the MACsec secrets dxlocal made from a CKN and CAK, by ARN.
	Secrets []Secret `json:"secrets,omitempty"`

	// The VIF book. VirtualInterfaces are in creation order, deleted and rejected ones included
	// while they are retained; every list is absent when empty, so that older files still load.
	VirtualInterfaces []VirtualInterface `json:"virtualInterfaces,omitempty"`
	// VIFParents lists, per connection, LAG or hosted connection, its VIFs in the order it
	// lists them, where that is not creation order (a VIF moved onto it).
	VIFParents map[string][]string `json:"vifParents,omitempty"`
	// FailoverTests are the BGP failover tests, per owner account in the order they started.
	FailoverTests []FailoverTest `json:"failoverTests,omitempty"`
	// IPv6Next is the index of the next /125 of the IPv6 peer address pool.
	IPv6Next uint64 `json:"ipv6Next,omitempty"`
}

// VirtualInterface is a virtual interface with its BGP peers.
type VirtualInterface struct {
	Order        uint64 `json:"order"`
	ID           string `json:"id"`
	Type         string `json:"type"` // private, public or transit
	Name         string `json:"name"`
	OwnerAccount string `json:"ownerAccount"`
	// ConnectionOwnerAccount owns the connection; it differs from OwnerAccount on an allocated VIF.
	ConnectionOwnerAccount string    `json:"connectionOwnerAccount"`
	Allocated              bool      `json:"allocated,omitempty"`
	ConnectionID           string    `json:"connectionId"`
	Location               string    `json:"location"`
	Device                 string    `json:"device"`
	VLAN                   int       `json:"vlan"`
	AmazonSideAsn          int64     `json:"amazonSideAsn"`
	VirtualGatewayID       string    `json:"virtualGatewayId,omitempty"`
	DirectConnectGatewayID string    `json:"directConnectGatewayId,omitempty"`
	RouteFilterPrefixes    []string  `json:"routeFilterPrefixes,omitempty"`
	MTU                    int       `json:"mtu"`
	SiteLink               bool      `json:"siteLink,omitempty"`
	JumboFrameCapable      bool      `json:"jumboFrameCapable,omitempty"`
	State                  string    `json:"state"`
	Peers                  []BGPPeer `json:"bgpPeers"`
	Tags                   []Tag     `json:"tags,omitempty"`
	// Since is when the current dwell began (the state was entered, or a hold released).
	Since time.Time `json:"since"`
	// Resume is the steady state a pending (updated or moved) or testing VIF goes back to.
	Resume string `json:"resume,omitempty"`
	// LinkResume is the state a VIF the link took down comes back to with the link.
	LinkResume string `json:"linkResume,omitempty"`
	Hold       bool   `json:"hold,omitempty"`
}

// BGPPeer is one BGP peer of a virtual interface.
type BGPPeer struct {
	ID              string `json:"id"`
	ASN             int64  `json:"asn"`
	AuthKey         string `json:"authKey"`
	AddressFamily   string `json:"addressFamily"`
	AmazonAddress   string `json:"amazonAddress"`
	CustomerAddress string `json:"customerAddress"`
	State           string `json:"state"`
	// BGPDown is set when the resource control set the session down.
	BGPDown bool      `json:"bgpDown,omitempty"`
	Since   time.Time `json:"since"`
}

// FailoverTest is a BGP failover test; the one in_progress of a VIF is its running test.
type FailoverTest struct {
	ID                    string    `json:"testId"`
	VirtualInterfaceID    string    `json:"virtualInterfaceId"`
	Peers                 []string  `json:"bgpPeers"`
	Status                string    `json:"status"`
	OwnerAccount          string    `json:"ownerAccount"`
	TestDurationInMinutes int       `json:"testDurationInMinutes"`
	StartTime             time.Time `json:"startTime"`
	EndTime               time.Time `json:"endTime,omitzero"`
	// EndsAt is set when a hold pushed the end of a running test past its duration.
	EndsAt time.Time `json:"endsAt,omitzero"`
}

// Connection is a dedicated connection, a hosted connection or an interconnect.
type Connection struct {
	Order        uint64 `json:"order"`
	ID           string `json:"id"`
	Type         string `json:"type"` // connection, hostedConnection or interconnect
	Name         string `json:"name,omitempty"`
	OwnerAccount string `json:"ownerAccount"`
	Location     string `json:"location"`
	Bandwidth    string `json:"bandwidth"`
	Device       string `json:"device,omitempty"`
	State        string `json:"state"`
	LagID        string `json:"lagId,omitempty"`
	// Port is the port it holds; absent on hosted connections and on what no longer holds one.
	Port           *Port       `json:"port,omitempty"`
	Partner        string      `json:"partnerAccount,omitempty"`
	ParentID       string      `json:"parentId,omitempty"`
	VLAN           int         `json:"vlan,omitempty"`
	ParentMacSec   bool        `json:"parentMacSec,omitempty"`
	ProviderName   string      `json:"providerName,omitempty"`
	PartnerName    string      `json:"partnerName,omitempty"`
	MacSecCapable  bool        `json:"macSecCapable,omitempty"`
	EncryptionMode string      `json:"encryptionMode,omitempty"`
	MacSecKeys     []MacSecKey `json:"macSecKeys,omitempty"`
	LoaIssueTime   time.Time   `json:"loaIssueTime,omitzero"`
	Tags           []Tag       `json:"tags,omitempty"`
	Created        time.Time   `json:"created"`
	// Since is when the current dwell began (the state was entered, or a hold released).
	Since           time.Time `json:"since"`
	TransitionUntil time.Time `json:"transitionUntil,omitzero"`
	Hold            bool      `json:"hold,omitempty"`
}

// Port is one port of one device, as the catalog counts them (from 1 within its speed).
type Port struct {
	Device string `json:"device"`
	Speed  string `json:"speed"`
	Index  int    `json:"index"`
}

// Lag is a link aggregation group; its state is derived from its members.
type Lag struct {
	Order                   uint64      `json:"order"`
	ID                      string      `json:"id"`
	Name                    string      `json:"name,omitempty"`
	OwnerAccount            string      `json:"ownerAccount"`
	Location                string      `json:"location"`
	Bandwidth               string      `json:"bandwidth"`
	Device                  string      `json:"device,omitempty"`
	MinimumLinks            int         `json:"minimumLinks,omitempty"`
	AllowsHostedConnections bool        `json:"allowsHostedConnections,omitempty"`
	ProviderName            string      `json:"providerName,omitempty"`
	MacSecCapable           bool        `json:"macSecCapable,omitempty"`
	EncryptionMode          string      `json:"encryptionMode,omitempty"`
	MacSecKeys              []MacSecKey `json:"macSecKeys,omitempty"`
	LoaIssueTime            time.Time   `json:"loaIssueTime,omitzero"`
	Tags                    []Tag       `json:"tags,omitempty"`
	Deleted                 time.Time   `json:"deleted,omitzero"`
	// Members are the member connection ids in the order they joined.
	Members []string  `json:"members"`
	Created time.Time `json:"created"`
	// PendingFrom, when set, is when the LAG's pending dwell began, if not at Created.
	PendingFrom time.Time `json:"pendingFrom,omitzero"`
	Hold        bool      `json:"hold,omitempty"`
	// HeldPending is set on a held LAG that was pending when it was held: it stays pending.
	HeldPending bool `json:"heldPending,omitempty"`
}

// MacSecKey is a MACsec key associated with a connection, interconnect or LAG.
type MacSecKey struct {
	SecretARN string    `json:"secretARN"`
	CKN       string    `json:"ckn"`
	State     string    `json:"state"`
	StartOn   time.Time `json:"startOn,omitzero"`
	Since     time.Time `json:"since"`
}

// Tag is one user tag.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Secret is a MACsec secret kept in place of Secrets Manager.
type Secret struct {
	ARN          string `json:"arn"`
	OwnerAccount string `json:"ownerAccount"`
	CKN          string `json:"ckn"`
}

// Decode reads one state document. It refuses what is not JSON, trailing data, and a format
// other than Format; the catalog and the rules are checked by whoever takes the state.
func Decode(r io.Reader) (*State, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return decodeBytes(data)
}

func decodeBytes(data []byte) (*State, error) {
	var st State
	// Unmarshal checks the syntax of the whole input first, trailing data included.
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("the state is not a JSON state document: %v", err)
	}
	if st.Format != Format {
		return nil, fmt.Errorf("state format %d is not supported: want \"format\": %d", st.Format, Format)
	}
	return &st, nil
}

// Encode writes st as one JSON document.
func Encode(w io.Writer, st *State) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(st)
}

// ReadFile reads a state file; os.ErrNotExist tells a file that is not there.
func ReadFile(path string) (*State, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return decodeBytes(data)
}

// WriteFile writes st to path atomically: into a temporary file of the same directory, synced,
// then renamed over path, so that a reader (or a crash) never sees half a state.
func WriteFile(path string, st *State) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing state file %s: %v", path, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	w := bufio.NewWriterSize(tmp, 1<<16)
	if err := Encode(w, st); err != nil {
		tmp.Close()
		return fmt.Errorf("writing state file %s: %v", path, err)
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("writing state file %s: %v", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("writing state file %s: %v", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing state file %s: %v", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing state file %s: %v", path, err)
	}
	return nil
}

package store

import (
	"regexp"
	"time"

	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/limit"
)

// secret is a MACsec CKN/CAK pair dxlocal keeps in place of Secrets Manager. The CAK is
// never answered, so it is not kept either.
type secret struct {
	owner string
	ckn   string
}

var hex64 = regexp.MustCompile(`^[0-9A-Fa-f]{64}$`)

// watchKeys marks a key list as having a change due.
func (r *Region) watchKeys(keys *[]MacSecKey) {
	for _, k := range *keys {
		if k.State == KeyAssociating || k.State == KeyDisassociating {
			r.dueKeys[keys] = struct{}{}
			return
		}
	}
}

// advanceKeys applies the key changes due by now: associating keys become associated,
// disassociating ones are dropped. It reports whether no change is left.
func (r *Region) advanceKeys(keys *[]MacSecKey, now time.Time) bool {
	steady := true
	kept := (*keys)[:0]
	for _, k := range *keys {
		due := !now.Before(k.since.Add(r.dwell()))
		switch {
		case k.State == KeyAssociating && due:
			k.State = KeyAssociated
		case k.State == KeyDisassociating && due:
			continue
		case k.State == KeyAssociating || k.State == KeyDisassociating:
			steady = false
		}
		kept = append(kept, k)
	}
	*keys = kept
	return steady
}

// macSecTarget is the connection, interconnect or LAG a key operation acts on.
type macSecTarget struct {
	conn *Connection
	lag  *Lag
}

func (t macSecTarget) keys() *[]MacSecKey {
	if t.lag != nil {
		return &t.lag.MacSecKeys
	}
	return &t.conn.MacSecKeys
}

func (t macSecTarget) mode() *string {
	if t.lag != nil {
		return &t.lag.EncryptionMode
	}
	return &t.conn.EncryptionMode
}

// ownMacSecTarget finds the caller's MACsec-capable dedicated connection, interconnect or LAG.
func (r *Region) ownMacSecTarget(c Caller, id string) (macSecTarget, error) {
	if err := checkConnectionID(id); err != nil {
		return macSecTarget{}, err
	}
	var t macSecTarget
	if l, ok := r.lags[id]; ok && l.Owner == c.Account {
		if !l.Deleted.IsZero() {
			return t, inState("Lag", id, StateDeleted)
		}
		t.lag = l
		if !l.MacSecCapable {
			return t, dxerr.New(dxerr.Invalid, "%s is not MACsec capable.", id)
		}
		return t, nil
	}
	if h, ok := r.ownConn(c, id, Hosted); ok {
		return t, dxerr.New(dxerr.Invalid, "MACsec is not available on hosted connection %s.", h.ID)
	}
	conn, ok := r.ownConn(c, id, Dedicated, Interconnect)
	if !ok {
		return t, connNotFound(id)
	}
	if !live(conn.State) || conn.State == StateDeleting {
		return t, inState("Connection", id, conn.State)
	}
	if !conn.MacSecCapable {
		return t, dxerr.New(dxerr.Invalid, "%s is not MACsec capable.", id)
	}
	if conn.LagID != "" {
		return t, dxerr.New(dxerr.Invalid, "Connection %s is a member of Lag %s; associate MACsec keys with the LAG.", id, conn.LagID)
	}
	t.conn = conn
	return t, nil
}

// KeyRequest is an AssociateMacSecKey request: either SecretARN, or CKN and CAK.
type KeyRequest struct {
	SecretARN, CKN, CAK *string
}

// AssociateMacSecKey associates a MACsec key with a connection, interconnect or LAG (and so
// with every member of the LAG). Given a CKN and CAK it stores them as a new secret. It
// answers the resource's keys, the new one last.
func (r *Region) AssociateMacSecKey(c Caller, id string, req KeyRequest) ([]MacSecKey, error) {
	now := r.lock()
	defer r.unlock()
	byARN := req.SecretARN != nil
	if byARN == (req.CKN != nil || req.CAK != nil) || (!byARN && (req.CKN == nil || req.CAK == nil)) {
		return nil, dxerr.New(dxerr.Invalid, "Give either secretARN, or both ckn and cak.")
	}
	if !byARN {
		if !hex64.MatchString(*req.CKN) {
			return nil, dxerr.New(dxerr.Invalid, "ckn %s is not valid: it must be 64 hexadecimal characters.", *req.CKN)
		}
		if !hex64.MatchString(*req.CAK) {
			return nil, dxerr.New(dxerr.Invalid, "cak is not valid: it must be 64 hexadecimal characters.")
		}
	}
	t, err := r.ownMacSecTarget(c, id)
	if err != nil {
		return nil, err
	}
	if n := countLiveKeys(*t.keys()); n >= limit.MacSecKeys {
		return nil, dxerr.New(dxerr.Limit, "MACsec key limit of %d exceeded for %s: it has %d keys; disassociate one first.", limit.MacSecKeys, id, n)
	}
	key := MacSecKey{State: KeyAssociating, StartOn: now, since: now}
	if byARN {
		s, ok := r.secrets[*req.SecretARN]
		if !ok || s.owner != c.Account {
			return nil, dxerr.New(dxerr.NotFound, "Secret %s does not exist.", *req.SecretARN)
		}
		key.SecretARN, key.CKN = *req.SecretARN, s.ckn
	} else {
		key.CKN = *req.CKN
	}
	for _, k := range *t.keys() {
		if k.CKN == key.CKN && k.State != KeyDisassociating {
			return nil, dxerr.New(dxerr.Conflict, "CKN %s is already associated with %s.", key.CKN, id)
		}
	}
	if !byARN {
		key.SecretARN = "arn:aws:secretsmanager:" + r.name + ":" + c.Account + ":secret:directconnect!prod/" + r.name + "/directconnect/" + key.CKN + "-" + r.store.opts.IDs.Token(6)
		r.secrets[key.SecretARN] = secret{owner: c.Account, ckn: key.CKN}
	}
	r.addKey(t.keys(), key)
	if t.lag != nil {
		for _, m := range t.lag.members {
			r.addKey(&r.conns[m].MacSecKeys, key)
		}
	}
	return append([]MacSecKey(nil), (*t.keys())...), nil
}

func (r *Region) addKey(keys *[]MacSecKey, k MacSecKey) {
	*keys = append(*keys, k)
	r.watchKeys(keys)
}

// DisassociateMacSecKey removes a key from a connection, interconnect or LAG and its members.
// Without keys left, must_encrypt falls back to should_encrypt. It answers the removed key.
func (r *Region) DisassociateMacSecKey(c Caller, id, secretARN string) ([]MacSecKey, error) {
	now := r.lock()
	defer r.unlock()
	t, err := r.ownMacSecTarget(c, id)
	if err != nil {
		return nil, err
	}
	removed, ok := disassociate(t.keys(), secretARN, now)
	if !ok {
		return nil, dxerr.New(dxerr.NotFound, "MACsec key %s is not associated with %s.", secretARN, id)
	}
	r.watchKeys(t.keys())
	var members []*Connection
	if t.lag != nil {
		for _, m := range t.lag.members {
			members = append(members, r.conns[m])
		}
	}
	for _, m := range members {
		disassociate(&m.MacSecKeys, secretARN, now)
		r.watchKeys(&m.MacSecKeys)
	}
	if *t.mode() == "must_encrypt" && !hasLiveKey(*t.keys()) {
		*t.mode() = "should_encrypt"
		for _, m := range members {
			m.EncryptionMode = "should_encrypt"
		}
	}
	return []MacSecKey{removed}, nil
}

func disassociate(keys *[]MacSecKey, arn string, now time.Time) (MacSecKey, bool) {
	for i, k := range *keys {
		if k.SecretARN == arn && k.State != KeyDisassociating {
			(*keys)[i].State = KeyDisassociating
			(*keys)[i].since = now
			return (*keys)[i], true
		}
	}
	return MacSecKey{}, false
}

// countLiveKeys counts the keys that are not on their way out; those count against the limit.
func countLiveKeys(keys []MacSecKey) int {
	n := 0
	for _, k := range keys {
		if k.State != KeyDisassociating {
			n++
		}
	}
	return n
}

func hasLiveKey(keys []MacSecKey) bool {
	for _, k := range keys {
		if k.State != KeyDisassociating {
			return true
		}
	}
	return false
}

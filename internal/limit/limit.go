// Package limit holds, in one place, the bounds dxlocal puts on what a request may carry. AWS
// documents none of these (the API model leaves names and lists unbounded), so each is chosen
// far above anything a real client sends and low enough that no request can make the emulator
// hold or answer megabytes. A request beyond one is refused with a DirectConnectClientException
// naming the member, its length and the limit, and changes nothing.
package limit

const (
	// Name bounds every resource name: connectionName, lagName, interconnectName,
	// virtualInterfaceName, directConnectGatewayName (characters).
	Name = 256
	// ProviderName bounds providerName (characters).
	ProviderName = 256
	// RegionName bounds the region of a request's credential scope (bytes); the longest real
	// region name has 14 characters.
	RegionName = 32
	// MacSecKeys bounds the MACsec keys one connection, interconnect or LAG carries at once;
	// a key rotation needs two.
	MacSecKeys = 16
	// DescribeTagsARNs bounds resourceArns of one DescribeTags call.
	DescribeTagsARNs = 100
	// Prefixes bounds a list of CIDRs in one request member (allowed prefixes to add, remove
	// or override) and the prefix quotas (routeFilterPrefixes, allowedPrefixesPerAssociation)
	// the admin API may set. AWS's own quotas are 1,000 and 200; without a bound a 1 MiB body
	// carries some 36,000 prefixes, and checking them against each other under the gateway
	// book's lock stalled every gateway call for seconds.
	Prefixes = 1000
	// Quota bounds every other quota the admin API may set: far above AWS's, and low enough
	// that no rule that counts up to a quota becomes a long walk.
	Quota = 100_000
	// BGPPeerIDs bounds the bgpPeers list of StartBgpFailoverTest and of
	// ListVirtualInterfaceTestHistory: a VIF has a few peers, and the history filter is
	// matched against every test of the account.
	BGPPeerIDs = 100
	// TestHistory bounds the failover tests kept per account and region. AWS keeps a year of
	// history; with a clock that tests move at will, a count is the bound that holds. Past it,
	// the oldest finished test is forgotten.
	TestHistory = 1000
	// Echo is how many bytes of an offending value an error message repeats; the rest is cut
	// to "...", so a 1 MB value never makes a 1 MB answer or log line.
	Echo = 64
	// EchoWhole is the longest value a domain error message repeats whole: more than any
	// real id, ARN or name. A longer one is cut to Echo bytes.
	EchoWhole = 512
)

// Cut shortens s to at most n bytes, on a rune boundary, marking the cut with "...".
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "..."
}

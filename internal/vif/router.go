package vif

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Router is one router type DescribeRouterConfiguration knows.
type Router struct {
	Identifier string
	Vendor     string
	Platform   string
	Software   string
	XSLT       string
	XSLTMacSec string
	family     routerFamily
}

type routerFamily uint8

const (
	ciscoIOS routerFamily = iota + 1
	ciscoNexus
	juniper
	paloAlto
)

// routers are AWS's router types with the values AWS reports for them.
var routers = []Router{
	{"CiscoSystemsInc-2900SeriesRouters-IOS124", "Cisco Systems, Inc.", "2900 Series Routers", "IOS 12.4+", "customer-router-cisco-generic.xslt", "", ciscoIOS},
	{"CiscoSystemsInc-3700SeriesRouters-IOS124", "Cisco Systems, Inc.", "3700 Series Routers", "IOS 12.4+", "customer-router-cisco-generic.xslt", "", ciscoIOS},
	{"CiscoSystemsInc-7200SeriesRouters-IOS124", "Cisco Systems, Inc.", "7200 Series Routers", "IOS 12.4+", "customer-router-cisco-generic.xslt", "", ciscoIOS},
	{"CiscoSystemsInc-Nexus7000SeriesSwitches-NXOS51", "Cisco Systems, Inc.", "Nexus 7000 Series Switches", "NX-OS 5.1+", "customer-switch-cisco-nexus-generic.xslt", "", ciscoNexus},
	{"CiscoSystemsInc-Nexus9KSeriesSwitches-NXOS93", "Cisco Systems, Inc.", "Nexus 9K+ Series Switches", "NX-OS 9.3+", "customer-switch-cisco-nexus-generic.xslt", "customer-switch-cisco-nexus-generic-macsec.xslt", ciscoNexus},
	{"JuniperNetworksInc-MMXSeriesRouters-JunOS95", "Juniper Networks, Inc.", "M/MX Series Routers", "JunOS 9.5+", "customer-router-juniper-generic.xslt", "customer-router-juniper-generic-macsec.xslt", juniper},
	{"JuniperNetworksInc-SRXSeriesRouters-JunOS95", "Juniper Networks, Inc.", "SRX Series Routers", "JunOS 9.5+", "customer-router-juniper-generic.xslt", "", juniper},
	{"JuniperNetworksInc-TSeriesRouters-JunOS95", "Juniper Networks, Inc.", "T Series Routers", "JunOS 9.5+", "customer-router-juniper-generic.xslt", "", juniper},
	{"PaloAltoNetworks-PA3000and5000series-PANOS803", "Palo Alto Networks", "PA-3000+ and 5000+ series", "PAN-OS 8.0.3+", "customer-router-palo-alto-generic.xslt", "", paloAlto},
}

// LookupRouter finds a router type by its identifier (exact spelling).
func LookupRouter(id string) (Router, bool) {
	for _, r := range routers {
		if r.Identifier == id {
			return r, true
		}
	}
	return Router{}, false
}

// Peering is one BGP peer as a router configuration shows it.
type Peering struct {
	Family   string
	Customer string // CIDR notation
	Amazon   string // CIDR notation
	ASN      int64
	AuthKey  string
}

// Logical is what a router configuration is made of: the VIF and its live peers.
type Logical struct {
	ID        string
	Type      Type
	VLAN      int
	AmazonASN int64
	Peers     []Peering
}

// first returns the first peer of family.
func (l Logical) first(family string) (Peering, bool) {
	for _, p := range l.Peers {
		if p.Family == family {
			return p, true
		}
	}
	return Peering{}, false
}

// CustomerRouterConfig is the XML text VIFs carry as customerRouterConfig: the IPv4 peer's
// values, the IPv6 peer's only when the VIF has one. Every line ends with a newline, the last
// one too, as in every answer of the real service that has been seen. The text is made in one
// exact-size allocation: dxlocal makes it whenever a VIF is read without a kept encoding,
// instead of keeping the text of every VIF.
func CustomerRouterConfig(l Logical) string {
	var scratch [1024]byte
	return string(AppendCustomerRouterConfig(scratch[:0], l))
}

// AppendCustomerRouterConfig appends CustomerRouterConfig(l) to b.
func AppendCustomerRouterConfig(b []byte, l Logical) []byte {
	b = append(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<logical_connection id=\""...)
	b = append(b, l.ID...)
	b = append(b, "\">\n  <vlan>"...)
	b = strconv.AppendInt(b, int64(l.VLAN), 10)
	b = append(b, "</vlan>\n"...)
	if p, ok := l.first(IPv4); ok {
		b = appendElement(b, "customer_address", p.Customer)
		b = appendElement(b, "amazon_address", p.Amazon)
		b = appendIntElement(b, "bgp_asn", p.ASN)
		b = appendElement(b, "bgp_auth_key", xmlEscape(p.AuthKey))
	}
	if p, ok := l.first(IPv6); ok {
		b = appendElement(b, "ipv6_customer_address", p.Customer)
		b = appendElement(b, "ipv6_amazon_address", p.Amazon)
		b = appendIntElement(b, "ipv6_bgp_asn", p.ASN)
		b = appendElement(b, "ipv6_bgp_auth_key", xmlEscape(p.AuthKey))
	}
	b = appendIntElement(b, "amazon_bgp_asn", l.AmazonASN)
	b = appendElement(b, "connection_type", string(l.Type))
	return append(b, "</logical_connection>\n"...)
}

// appendElement appends "  <name>text</name>\n"; text is already escaped.
func appendElement(b []byte, name, text string) []byte {
	b = append(b, "  <"...)
	b = append(b, name...)
	b = append(b, '>')
	b = append(b, text...)
	b = append(b, "</"...)
	b = append(b, name...)
	return append(b, ">\n"...)
}

func appendIntElement(b []byte, name string, n int64) []byte {
	var digits [20]byte
	return appendElement(b, name, string(strconv.AppendInt(digits[:0], n, 10)))
}

// xmlEscaper is built once: building a Replacer costs far more than using it, and every VIF
// create, change and restore formats customerRouterConfig.
var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

func xmlEscape(s string) string { return xmlEscaper.Replace(s) }

// RouterConfig is the configuration text for router r: the VLAN sub-interface and one BGP
// neighbour per peer, in the vendor's syntax. It is a sketch for people, not a tested config.
func RouterConfig(r Router, l Logical) string {
	var b strings.Builder
	fmt.Fprintf(&b, "! Virtual interface %s (%s), VLAN %d\n! Router: %s %s, %s\n", l.ID, l.Type, l.VLAN, r.Vendor, r.Platform, r.Software)
	switch r.family {
	case ciscoIOS, ciscoNexus:
		iface := "GigabitEthernet0/1"
		if r.family == ciscoNexus {
			iface = "Ethernet1/1"
		}
		fmt.Fprintf(&b, "interface %s.%d\n  encapsulation dot1Q %d\n", iface, l.VLAN, l.VLAN)
		for _, p := range l.Peers {
			if p.Family == IPv4 {
				fmt.Fprintf(&b, "  ip address %s %s\n", hostOf(p.Customer), maskOf(p.Customer))
			} else {
				fmt.Fprintf(&b, "  ipv6 address %s\n", p.Customer)
			}
		}
		fmt.Fprintf(&b, "router bgp %d\n", customerASN(l))
		for _, p := range l.Peers {
			fmt.Fprintf(&b, "  neighbor %s remote-as %d\n  neighbor %s password %s\n", hostOf(p.Amazon), l.AmazonASN, hostOf(p.Amazon), p.AuthKey)
		}
	case juniper:
		fmt.Fprintf(&b, "set interfaces ge-0/0/1 vlan-tagging\nset interfaces ge-0/0/1 unit %d vlan-id %d\n", l.VLAN, l.VLAN)
		for _, p := range l.Peers {
			inet := "inet"
			if p.Family == IPv6 {
				inet = "inet6"
			}
			fmt.Fprintf(&b, "set interfaces ge-0/0/1 unit %d family %s address %s\n", l.VLAN, inet, p.Customer)
		}
		fmt.Fprintf(&b, "set routing-options autonomous-system %d\n", customerASN(l))
		for _, p := range l.Peers {
			fmt.Fprintf(&b, "set protocols bgp group aws-%s neighbor %s peer-as %d authentication-key \"%s\"\n", p.Family, hostOf(p.Amazon), l.AmazonASN, p.AuthKey)
		}
	case paloAlto:
		fmt.Fprintf(&b, "set network interface ethernet ethernet1/1 layer3 units ethernet1/1.%d tag %d\n", l.VLAN, l.VLAN)
		for _, p := range l.Peers {
			fmt.Fprintf(&b, "set network interface ethernet ethernet1/1 layer3 units ethernet1/1.%d ip %s\n", l.VLAN, p.Customer)
		}
		fmt.Fprintf(&b, "set network virtual-router default protocol bgp local-as %d\n", customerASN(l))
		for _, p := range l.Peers {
			fmt.Fprintf(&b, "set network virtual-router default protocol bgp peer-group aws peer aws-%s peer-address ip %s peer-as %d\n", p.Family, hostOf(p.Amazon), l.AmazonASN)
		}
	}
	return b.String()
}

func customerASN(l Logical) int64 {
	if len(l.Peers) > 0 {
		return l.Peers[0].ASN
	}
	return 0
}

func hostOf(cidr string) string {
	if p, err := netip.ParsePrefix(cidr); err == nil {
		return p.Addr().String()
	}
	return cidr
}

func maskOf(cidr string) string {
	p, err := netip.ParsePrefix(cidr)
	if err != nil || !p.Addr().Is4() {
		return ""
	}
	m := ^uint32(0) << (32 - p.Bits())
	return fmt.Sprintf("%d.%d.%d.%d", m>>24, m>>16&0xff, m>>8&0xff, m&0xff)
}

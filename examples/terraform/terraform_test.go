// Package terraform_test runs the Terraform configurations of this folder against dxlocal with
// HashiCorp's AWS provider, unmodified: apply, plan with no changes, a tag change, an import, a
// resource deleted behind Terraform's back, destroy, and then checks that nothing is left.
//
// It needs the terraform binary on PATH and the hashicorp/aws provider laid out as a filesystem
// mirror (no registry is reached): DXLOCAL_TF_MIRROR names the mirror root (the folder above
// registry.terraform.io), else well-known places and then a bounded search are tried. Without
// either it says so and skips.
package terraform_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"

	"github.com/dxlocal/dxlocal/internal/server"
	"github.com/dxlocal/dxlocal/internal/server/servertest"
)

const (
	customer = "111111111111" // the examples' default account
	partner  = "333333333333" // the partner of the hosted examples
	vgwOwner = "444444444444" // the VGW owner of the gateway-proposal example
	region   = "us-east-1"

	// stepTimeout bounds one terraform command, so that a hang fails instead of stalling CI.
	stepTimeout = 5 * time.Minute
)

var ctx = context.Background()

// example is one configuration of this folder and how the test drives it.
type example struct {
	dir string
	// setup makes what the configuration needs outside Terraform; it returns -var flags.
	setup func(t *testing.T, dx *dxlocal) []string
	// afterApply checks the outputs and dxlocal after the first apply.
	afterApply func(t *testing.T, dx *dxlocal, out map[string]any)
	// tagVar is the variable that sets the env tag; tagged names the outputs with the ids of
	// the resources that carry it. Empty: no tag step, for the reason noTag gives.
	tagVar string
	tagged []string
	noTag  string
	// imports are the resources removed from the state and imported again, each by the id in
	// an output; noImport says why there are none.
	imports  []imported
	noImport string
	// deleteBehind deletes a resource through the API; the next plan must create recreated.
	deleteBehind func(t *testing.T, dx *dxlocal, out map[string]any)
	recreated    string
	// managed is false for data sources only: nothing to destroy.
	managed bool
	// cleanup deletes what setup made, after destroy.
	cleanup func(t *testing.T, dx *dxlocal)
}

// imported is a resource address and the output with its id.
type imported struct{ addr, idOutput string }

var examples = []example{
	{
		dir:     "lag",
		tagVar:  "environment",
		tagged:  []string{"lag_id", "connection_id"},
		imports: []imported{{"aws_dx_lag.main", "lag_id"}, {"aws_dx_connection.member", "connection_id"}},
		deleteBehind: func(t *testing.T, dx *dxlocal, out map[string]any) {
			id := outString(t, out, "connection_id")
			if _, err := dx.client(customer).DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: &id}); err != nil {
				t.Fatal(err)
			}
		},
		recreated: "aws_dx_connection.member",
		managed:   true,
	},
	{
		dir:    "macsec",
		tagVar: "environment",
		tagged: []string{"connection_id"},
		// The provider cannot read request_macsec back, so an imported MACsec connection always
		// plans a replacement, against AWS too; the lag example imports a connection instead.
		noImport: "an imported aws_dx_connection with request_macsec = true plans a replacement (the provider never reads request_macsec back)",
		deleteBehind: func(t *testing.T, dx *dxlocal, out map[string]any) {
			id := outString(t, out, "connection_id")
			if _, err := dx.client(customer).DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: &id}); err != nil {
				t.Fatal(err)
			}
		},
		recreated: "aws_dx_connection.encrypted",
		managed:   true,
	},
	{
		dir:      "hosted",
		noTag:    "aws_dx_hosted_connection and aws_dx_connection_confirmation take no tags in the provider",
		noImport: "aws_dx_hosted_connection and aws_dx_connection_confirmation have no importer in the provider",
		setup: func(t *testing.T, dx *dxlocal) []string {
			ic, err := dx.client(partner).CreateInterconnect(ctx, &directconnect.CreateInterconnectInput{
				InterconnectName: aws.String("partner-ic"), Location: aws.String("EqDC2"), Bandwidth: aws.String("10Gbps"),
			})
			if err != nil {
				t.Fatal(err)
			}
			dx.interconnect = aws.ToString(ic.InterconnectId)
			t.Logf("hosted: partner %s made interconnect %s through the API (the provider has no interconnect resource)", partner, dx.interconnect)
			return []string{"-var", "interconnect_id=" + dx.interconnect}
		},
		afterApply: func(t *testing.T, dx *dxlocal, out map[string]any) {
			// The customer confirmed it: it is the customer's and available.
			id := outString(t, out, "hosted_connection_id")
			got, err := dx.client(customer).DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: &id})
			if err != nil {
				t.Fatal(err)
			}
			if c := got.Connections[0]; c.ConnectionState != types.ConnectionStateAvailable || c.Vlan != 101 {
				t.Fatalf("hosted connection as the customer sees it: %s, VLAN %d", c.ConnectionState, c.Vlan)
			}
			t.Logf("hosted: the customer sees %s available on VLAN 101", id)
		},
		deleteBehind: func(t *testing.T, dx *dxlocal, out map[string]any) {
			id := outString(t, out, "hosted_connection_id")
			if _, err := dx.client(partner).DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: &id}); err != nil {
				t.Fatal(err)
			}
		},
		recreated: "aws_dx_hosted_connection.customer",
		managed:   true,
		cleanup: func(t *testing.T, dx *dxlocal) {
			// Every hosted connection is gone (its VLAN free) or DeleteInterconnect refuses.
			hosted, err := dx.client(partner).DescribeHostedConnections(ctx, &directconnect.DescribeHostedConnectionsInput{ConnectionId: &dx.interconnect})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range hosted.Connections {
				if s := h.ConnectionState; s != types.ConnectionStateDeleted && s != types.ConnectionStateRejected {
					t.Errorf("hosted connection %s (VLAN %d) left %s", aws.ToString(h.ConnectionId), h.Vlan, s)
				}
			}
			if _, err := dx.client(partner).DeleteInterconnect(ctx, &directconnect.DeleteInterconnectInput{InterconnectId: &dx.interconnect}); err != nil {
				t.Fatal(err)
			}
		},
	},
	{
		dir:    "vif",
		tagVar: "environment",
		tagged: []string{"private_vif_id", "dxgw_vif_id", "public_vif_id", "transit_vif_id"},
		imports: []imported{
			{"aws_dx_private_virtual_interface.to_vgw", "private_vif_id"},
			{"aws_dx_public_virtual_interface.public", "public_vif_id"},
			{"aws_dx_transit_virtual_interface.transit", "transit_vif_id"},
			{"aws_dx_gateway.private", "private_gateway_id"},
			{"aws_dx_gateway_association.vgw", "vgw_association_import_id"},
		},
		afterApply: func(t *testing.T, dx *dxlocal, out map[string]any) {
			vif := dx.vif(t, customer, outString(t, out, "private_vif_id"))
			if vif.VirtualInterfaceState != types.VirtualInterfaceStateAvailable || aws.ToInt64(vif.AmazonSideAsn) != 64512 || len(vif.BgpPeers) != 2 {
				t.Fatalf("vif: the VGW's virtual interface is %s, amazonSideAsn %d, %d BGP peers; want available, 64512 (an auto-registered VGW's), 2",
					vif.VirtualInterfaceState, aws.ToInt64(vif.AmazonSideAsn), len(vif.BgpPeers))
			}
			if got, want := outString(t, out, "gateway_from_data_source"), outString(t, out, "private_gateway_id"); got != want {
				t.Fatalf("vif: data.aws_dx_gateway found %s, want %s", got, want)
			}
			if cfg := outString(t, out, "customer_router_config"); !strings.Contains(cfg, "dot1Q 101") {
				t.Fatalf("vif: the router configuration does not name VLAN 101:\n%s", cfg)
			}
			att, err := dx.client(customer).DescribeDirectConnectGatewayAttachments(ctx, &directconnect.DescribeDirectConnectGatewayAttachmentsInput{
				DirectConnectGatewayId: aws.String(outString(t, out, "private_gateway_id")),
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(att.DirectConnectGatewayAttachments) != 1 || aws.ToString(att.DirectConnectGatewayAttachments[0].VirtualInterfaceId) != outString(t, out, "dxgw_vif_id") {
				t.Fatalf("vif: attachments of the private gateway: %+v", att.DirectConnectGatewayAttachments)
			}
			t.Logf("vif: the VGW's VIF is available with 2 BGP peers and amazonSideAsn 64512; the private gateway has 1 attachment; router %s", out["router_vendor"])
		},
		deleteBehind: func(t *testing.T, dx *dxlocal, out map[string]any) {
			id := outString(t, out, "public_vif_id")
			if _, err := dx.client(customer).DeleteVirtualInterface(ctx, &directconnect.DeleteVirtualInterfaceInput{VirtualInterfaceId: &id}); err != nil {
				t.Fatal(err)
			}
		},
		recreated: "aws_dx_public_virtual_interface.public",
		managed:   true,
	},
	{
		dir:    "hosted-vif",
		tagVar: "environment",
		tagged: []string{"private_vif_id", "public_vif_id", "transit_vif_id"},
		imports: []imported{
			{"aws_dx_hosted_private_virtual_interface.private", "private_vif_id"},
			{"aws_dx_hosted_private_virtual_interface_accepter.private", "private_vif_id"},
		},
		afterApply: func(t *testing.T, dx *dxlocal, out map[string]any) {
			for _, o := range []string{"private_vif_id", "public_vif_id", "transit_vif_id"} {
				id := outString(t, out, o)
				mine := dx.vif(t, customer, id)
				theirs := dx.vif(t, partner, id)
				if aws.ToString(mine.OwnerAccount) != customer || aws.ToString(theirs.OwnerAccount) != customer {
					t.Fatalf("hosted-vif: %s is owned by %s (customer's view) and %s (partner's view), want %s", id,
						aws.ToString(mine.OwnerAccount), aws.ToString(theirs.OwnerAccount), customer)
				}
				if s := mine.VirtualInterfaceState; s != types.VirtualInterfaceStateAvailable {
					t.Fatalf("hosted-vif: %s is %s after acceptance, want available", id, s)
				}
			}
			t.Logf("hosted-vif: the customer owns and the partner sees the three accepted virtual interfaces, all available")
		},
		deleteBehind: func(t *testing.T, dx *dxlocal, out map[string]any) {
			id := outString(t, out, "transit_vif_id")
			if _, err := dx.client(partner).DeleteVirtualInterface(ctx, &directconnect.DeleteVirtualInterfaceInput{VirtualInterfaceId: &id}); err != nil {
				t.Fatal(err)
			}
		},
		recreated: "aws_dx_hosted_transit_virtual_interface.transit",
		managed:   true,
	},
	{
		dir:   "gateway-proposal",
		noTag: "Direct Connect gateways, associations and proposals take no tags in provider 5.100.0",
		imports: []imported{
			{"aws_dx_gateway.shared", "gateway_id"},
		},
		afterApply: func(t *testing.T, dx *dxlocal, out map[string]any) {
			id := outString(t, out, "association_id")
			// The VGW's owner sees the association the gateway's owner accepted.
			got, err := dx.client(vgwOwner).DescribeDirectConnectGatewayAssociations(ctx, &directconnect.DescribeDirectConnectGatewayAssociationsInput{AssociationId: &id})
			if err != nil {
				t.Fatal(err)
			}
			if len(got.DirectConnectGatewayAssociations) != 1 || got.DirectConnectGatewayAssociations[0].AssociationState != types.DirectConnectGatewayAssociationStateAssociated {
				t.Fatalf("gateway-proposal: the VGW owner's view of %s: %+v", id, got.DirectConnectGatewayAssociations)
			}
			t.Logf("gateway-proposal: account %s sees association %s associated", vgwOwner, id)
		},
		deleteBehind: func(t *testing.T, dx *dxlocal, out map[string]any) {
			id := outString(t, out, "association_id")
			if _, err := dx.client(customer).DeleteDirectConnectGatewayAssociation(ctx, &directconnect.DeleteDirectConnectGatewayAssociationInput{AssociationId: &id}); err != nil {
				t.Fatal(err)
			}
		},
		recreated: "aws_dx_gateway_association.accepted",
		managed:   true,
		// The accepted association is not imported: the provider does not restore proposal_id
		// on import, so the plan after it shows that one attribute (against AWS too).
	},
	{
		dir:      "locations",
		noTag:    "data sources only",
		noImport: "data sources only",
		afterApply: func(t *testing.T, _ *dxlocal, out map[string]any) {
			codes, _ := out["location_codes"].([]any)
			found := false
			for _, c := range codes {
				found = found || c == "EqDC2"
			}
			if !found {
				t.Errorf("location_codes %v lack EqDC2", codes)
			}
			if fmt.Sprint(out["eqdc2_port_speeds"]) != "[1G 10G 100G 400G]" {
				t.Errorf("EqDC2 port speeds %v", out["eqdc2_port_speeds"])
			}
			if fmt.Sprint(out["eqdc2_macsec_port_speeds"]) != "[10G 100G 400G]" {
				t.Errorf("EqDC2 MACsec port speeds %v", out["eqdc2_macsec_port_speeds"])
			}
		},
	},
}

func TestTerraformExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the Terraform examples take minutes")
	}
	tf, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform is not on PATH: the Terraform examples are not run")
	}
	mirror, why := findMirror()
	if mirror == "" {
		t.Skipf("no hashicorp/aws provider mirror for %s_%s (%s): the Terraform examples are not run; set DXLOCAL_TF_MIRROR to the folder above registry.terraform.io",
			runtime.GOOS, runtime.GOARCH, why)
	}
	t.Logf("terraform %s, provider mirror %s (%s)", tf, mirror, why)
	cliConfig := filepath.Join(t.TempDir(), "terraform.rc")
	rc := fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
`, mirror)
	if err := os.WriteFile(cliConfig, []byte(rc), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	t.Cleanup(func() { t.Logf("all examples: %.1fs", time.Since(start).Seconds()) })
	for _, ex := range examples {
		t.Run(ex.dir, func(t *testing.T) {
			t.Parallel()
			runExample(t, tf, cliConfig, ex)
		})
	}
}

func runExample(t *testing.T, tf, cliConfig string, ex example) {
	began := time.Now()
	dx := startDxlocal(t)
	work := t.TempDir()
	if err := os.CopyFS(work, os.DirFS(ex.dir)); err != nil {
		t.Fatal(err)
	}
	var vars []string
	if ex.setup != nil {
		vars = ex.setup(t, dx)
	}
	vars = append(vars, "-var", "dxlocal_endpoint="+dx.url)
	r := &runner{t: t, tf: tf, dir: work, env: terraformEnv(cliConfig), name: ex.dir}
	defer func() {
		if t.Failed() {
			t.Logf("%s: dxlocal log tail:\n%s", ex.dir, dx.logs.Tail(40))
		}
	}()

	r.step("init", 0, "init", "-input=false", "-no-color")
	r.step("apply", 0, withVars(vars, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=4")...)
	out := r.outputs()
	if ex.afterApply != nil {
		ex.afterApply(t, dx, out)
	}
	r.step("plan after apply: no changes", 0, withVars(vars, "plan", "-detailed-exitcode", "-input=false", "-no-color")...)

	if ex.tagVar != "" {
		vars = append(vars, "-var", ex.tagVar+"=test")
		r.step("tag change (env=test)", 0, withVars(vars, "apply", "-auto-approve", "-input=false", "-no-color")...)
		for _, o := range ex.tagged {
			id := outString(t, out, o)
			if got := dx.tag(t, customer, id, "env"); got != "test" {
				t.Fatalf("%s: after the tag change DescribeTags of %s says env=%q, want test", ex.dir, id, got)
			}
		}
		t.Logf("%s: DescribeTags shows env=test on %s", ex.dir, strings.Join(ex.tagged, ", "))
		r.step("plan after tag change: no changes", 0, withVars(vars, "plan", "-detailed-exitcode", "-input=false", "-no-color")...)
	} else {
		t.Logf("%s: no tag step: %s", ex.dir, ex.noTag)
	}

	for _, im := range ex.imports {
		id := outString(t, out, im.idOutput)
		r.step("state rm "+im.addr, 0, "state", "rm", "-no-color", im.addr)
		r.step("import "+im.addr+" "+id, 0, append(withVars(vars, "import", "-input=false", "-no-color"), im.addr, id)...)
	}
	if len(ex.imports) > 0 {
		r.step("plan after import: no changes", 0, withVars(vars, "plan", "-detailed-exitcode", "-input=false", "-no-color")...)
	} else if ex.noImport != "" {
		t.Logf("%s: no import step: %s", ex.dir, ex.noImport)
	}

	if ex.deleteBehind != nil {
		ex.deleteBehind(t, dx, out)
		t.Logf("%s: deleted %s through the API, behind Terraform's back", ex.dir, ex.recreated)
		plan := r.step("plan after deletion: re-create", 2, withVars(vars, "plan", "-detailed-exitcode", "-input=false", "-no-color")...)
		if want := "# " + ex.recreated + " will be created"; !strings.Contains(plan, want) {
			t.Fatalf("%s: the plan does not say %q:\n%s", ex.dir, want, plan)
		}
		t.Logf("%s: the plan says %q", ex.dir, "# "+ex.recreated+" will be created")
	}

	if ex.managed {
		r.step("destroy", 0, withVars(vars, "destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=4")...)
	} else {
		t.Logf("%s: no deletion or destroy step: data sources only", ex.dir)
	}
	if ex.cleanup != nil {
		ex.cleanup(t, dx)
	}
	dx.checkNothingLeft(t)
	t.Logf("%s: nothing left: no port held, every connection, interconnect and LAG deleted (%.1fs in all)", ex.dir, time.Since(began).Seconds())
}

func withVars(vars []string, args ...string) []string {
	return append(args, vars...)
}

// runner runs terraform commands in one working directory.
type runner struct {
	t    *testing.T
	tf   string
	dir  string
	env  []string
	name string
}

// step runs terraform with args, wants exit code want, logs the outcome and returns the output.
func (r *runner) step(name string, want int, args ...string) string {
	r.t.Helper()
	began := time.Now()
	out, code, err := r.run(args...)
	took := time.Since(began).Seconds()
	if err != nil {
		r.t.Fatalf("%s: %s: %v\n%s", r.name, name, err, out)
	}
	if code != want {
		r.t.Fatalf("%s: %s: terraform %s exited %d, want %d (%.1fs):\n%s", r.name, name, args[0], code, want, took, out)
	}
	r.t.Logf("%s: %s: ok, exit %d (%.1fs)", r.name, name, code, took)
	return out
}

func (r *runner) run(args ...string) (string, int, error) {
	c, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	cmd := exec.CommandContext(c, r.tf, args...)
	cmd.Dir = r.dir
	cmd.Env = r.env
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && c.Err() == nil {
		return buf.String(), exit.ExitCode(), nil
	}
	if err != nil {
		return buf.String(), -1, err
	}
	return buf.String(), 0, nil
}

// outputs reads terraform output -json as name -> value.
func (r *runner) outputs() map[string]any {
	r.t.Helper()
	raw, code, err := r.run("output", "-json", "-no-color")
	if err != nil || code != 0 {
		r.t.Fatalf("%s: terraform output: exit %d, %v\n%s", r.name, code, err, raw)
	}
	var doc map[string]struct {
		Value any `json:"value"`
	}
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		r.t.Fatalf("%s: terraform output -json: %v\n%s", r.name, err, raw)
	}
	out := map[string]any{}
	for k, v := range doc {
		out[k] = v.Value
	}
	return out
}

func outString(t *testing.T, out map[string]any, name string) string {
	t.Helper()
	s, ok := out[name].(string)
	if !ok || s == "" {
		t.Fatalf("output %s is %v, want a string", name, out[name])
	}
	return s
}

// terraformEnv is the environment of every terraform command: this process's, without the
// variables that would change what Terraform or the provider does (TF_*, AWS_*), plus the CLI
// configuration with the mirror.
func terraformEnv(cliConfig string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_") || strings.HasPrefix(kv, "AWS_") || strings.HasPrefix(kv, "CHECKPOINT_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1", // no call home
		"AWS_EC2_METADATA_DISABLED=true",
	)
}

// dxlocal is one dxlocal server run in this process.
type dxlocal struct {
	url          string
	logs         *servertest.Buffer
	interconnect string // made by the hosted example's setup
}

// startDxlocal runs dxlocal on a free port with dwell 0 and the partner of the hosted example,
// as the dxlocal binary would, until the test ends.
func startDxlocal(t *testing.T) *dxlocal {
	t.Helper()
	c, cancel := context.WithCancel(ctx)
	pr, pw := io.Pipe()
	logs := &servertest.Buffer{}
	done := make(chan error, 1)
	go func() {
		err := server.Run(c, []string{"-addr", "127.0.0.1:0", "-dwell", "0s", "-partners", partner}, func(string) string { return "" }, pw, logs)
		pw.CloseWithError(fmt.Errorf("dxlocal stopped: %v", err))
		done <- err
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("dxlocal did not start: %v", err)
	}
	go io.Copy(io.Discard, pr)
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "dxlocal listening on ")
	if !ok {
		cancel()
		t.Fatalf("dxlocal printed %q", line)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("dxlocal: %v", err)
		}
	})
	return &dxlocal{url: "http://" + addr, logs: logs}
}

func (d *dxlocal) client(account string) *directconnect.Client {
	return directconnect.New(directconnect.Options{
		Region:       region,
		BaseEndpoint: aws.String(d.url),
		Credentials:  credentials.NewStaticCredentialsProvider(account, "dxlocal", ""),
		Retryer:      aws.NopRetryer{},
	})
}

// vif reads one virtual interface as account sees it.
func (d *dxlocal) vif(t *testing.T, account, id string) types.VirtualInterface {
	t.Helper()
	out, err := d.client(account).DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{VirtualInterfaceId: &id})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.VirtualInterfaces) != 1 {
		t.Fatalf("account %s sees %d virtual interfaces with id %s", account, len(out.VirtualInterfaces), id)
	}
	return out.VirtualInterfaces[0]
}

// tag reads one tag of a connection, LAG or virtual interface of account through DescribeTags.
func (d *dxlocal) tag(t *testing.T, account, id, key string) string {
	t.Helper()
	kind, _, _ := strings.Cut(id, "-") // dxcon, dxlag, dxvif

	arn := fmt.Sprintf("arn:aws:directconnect:%s:%s:%s/%s", region, account, kind, id)
	out, err := d.client(account).DescribeTags(ctx, &directconnect.DescribeTagsInput{ResourceArns: []string{arn}})
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range out.ResourceTags {
		for _, tg := range rt.Tags {
			if aws.ToString(tg.Key) == key {
				return aws.ToString(tg.Value)
			}
		}
	}
	return ""
}

// checkNothingLeft asserts, through the admin API, that no port is held, and through the
// Direct Connect API, that every connection, interconnect, LAG and virtual interface of every
// account the examples use is deleted, and that none has a Direct Connect gateway left.
func (d *dxlocal) checkNothingLeft(t *testing.T) {
	t.Helper()
	resp, err := http.Get(d.url + "/_dxlocal/catalog")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Locations []struct {
			Endpoints []struct {
				Device string `json:"device"`
				Ports  []struct {
					HeldBy string `json:"heldBy"`
				} `json:"ports"`
			} `json:"endpoints"`
		} `json:"locations"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	for _, l := range doc.Locations {
		for _, ep := range l.Endpoints {
			for _, p := range ep.Ports {
				if p.HeldBy != "" {
					t.Errorf("port on %s still held by %s", ep.Device, p.HeldBy)
				}
			}
		}
	}
	gone := func(state string) bool { return state == "deleted" || state == "rejected" }
	for _, account := range []string{customer, partner, vgwOwner} {
		dx := d.client(account)
		conns, err := dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range conns.Connections {
			if !gone(string(c.ConnectionState)) {
				t.Errorf("account %s: connection %s left %s", account, aws.ToString(c.ConnectionId), c.ConnectionState)
			}
		}
		lags, err := dx.DescribeLags(ctx, &directconnect.DescribeLagsInput{})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lags.Lags {
			if !gone(string(l.LagState)) {
				t.Errorf("account %s: LAG %s left %s", account, aws.ToString(l.LagId), l.LagState)
			}
		}
		ics, err := dx.DescribeInterconnects(ctx, &directconnect.DescribeInterconnectsInput{})
		if err != nil {
			t.Fatal(err)
		}
		for _, ic := range ics.Interconnects {
			if !gone(string(ic.InterconnectState)) {
				t.Errorf("account %s: interconnect %s left %s", account, aws.ToString(ic.InterconnectId), ic.InterconnectState)
			}
		}
		vifs, err := dx.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vifs.VirtualInterfaces {
			if !gone(string(v.VirtualInterfaceState)) {
				t.Errorf("account %s: virtual interface %s left %s", account, aws.ToString(v.VirtualInterfaceId), v.VirtualInterfaceState)
			}
		}
		gws, err := dx.DescribeDirectConnectGateways(ctx, &directconnect.DescribeDirectConnectGatewaysInput{})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range gws.DirectConnectGateways {
			t.Errorf("account %s: Direct Connect gateway %s left %s", account, aws.ToString(g.DirectConnectGatewayId), g.DirectConnectGatewayState)
		}
	}
}

// findMirror finds a Terraform filesystem mirror (the folder above registry.terraform.io)
// that holds hashicorp/aws for this platform: DXLOCAL_TF_MIRROR, then well-known places, then
// a search of likely folders bounded in depth and time. It returns "" and why when none.
func findMirror() (root, why string) {
	if v := os.Getenv("DXLOCAL_TF_MIRROR"); v != "" {
		if isMirror(v) {
			return v, "DXLOCAL_TF_MIRROR"
		}
		return "", "DXLOCAL_TF_MIRROR=" + v + " holds none"
	}
	home, _ := os.UserHomeDir()
	var known []string
	if home != "" {
		known = append(known, filepath.Join(home, ".terraform.d", "plugins"), filepath.Join(home, ".local", "share", "terraform", "plugins"))
	}
	if v := os.Getenv("XDG_DATA_HOME"); v != "" {
		known = append(known, filepath.Join(v, "terraform", "plugins"))
	}
	for _, d := range filepath.SplitList(os.Getenv("XDG_DATA_DIRS")) {
		known = append(known, filepath.Join(d, "terraform", "plugins"))
	}
	known = append(known, "/usr/local/share/terraform/plugins", "/usr/share/terraform/plugins",
		"/opt/tf-plugins", "/opt/terraform/plugins", "/opt/terraform-plugins")
	for _, d := range known {
		if isMirror(d) {
			return d, "well-known place"
		}
	}
	roots := []string{"/opt", "/usr/local", "/usr/share", "/usr/lib", "/var/lib", "/srv"}
	if home != "" {
		roots = append(roots, home)
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, r := range roots {
		if found := searchMirror(r, deadline); found != "" {
			return found, "found by searching " + r
		}
	}
	return "", "none in DXLOCAL_TF_MIRROR, well-known places or a search of " + strings.Join(roots, ", ")
}

// searchMirror walks below root, at most 6 levels deep and until deadline, for a folder named
// registry.terraform.io whose parent is a mirror.
func searchMirror(root string, deadline time.Time) string {
	found := ""
	base := strings.Count(filepath.Clean(root), string(filepath.Separator))
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if time.Now().After(deadline) {
			return filepath.SkipAll
		}
		switch d.Name() {
		case "registry.terraform.io":
			if parent := filepath.Dir(path); isMirror(parent) {
				found = parent
				return filepath.SkipAll
			}
			return filepath.SkipDir
		case "proc", "sys", "dev", ".git", "node_modules", ".cache", "pkg":
			return filepath.SkipDir
		}
		if strings.Count(path, string(filepath.Separator))-base >= 6 {
			return filepath.SkipDir
		}
		return nil
	})
	return found
}

// isMirror reports whether dir holds hashicorp/aws for this platform, unpacked
// (VERSION/OS_ARCH/terraform-provider-aws_v*) or packed (terraform-provider-aws_*_OS_ARCH.zip).
func isMirror(dir string) bool {
	aws := filepath.Join(dir, "registry.terraform.io", "hashicorp", "aws")
	platform := runtime.GOOS + "_" + runtime.GOARCH
	if m, _ := filepath.Glob(filepath.Join(aws, "*", platform, "terraform-provider-aws_v*")); len(m) > 0 {
		return true
	}
	m, _ := filepath.Glob(filepath.Join(aws, "terraform-provider-aws_*_"+platform+".zip"))
	return len(m) > 0
}

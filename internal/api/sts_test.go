package api_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func TestSTSGetCallerIdentityAgreesWithOwnerAccount(t *testing.T) {
	e := newEnv(t)
	for _, akid := range []string{owner, "AKIAIOSFODNN7EXAMPLE"} {
		client := sts.New(sts.Options{
			Region: usEast, BaseEndpoint: aws.String(e.srv.URL), Retryer: aws.NopRetryer{},
			Credentials: credentials.NewStaticCredentialsProvider(akid, "secret", ""),
		})
		id, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatal(err)
		}
		c, err := e.client(akid).CreateConnection(ctx, &directconnect.CreateConnectionInput{ConnectionName: aws.String("x"), Location: aws.String("TstA1"), Bandwidth: aws.String("1Gbps")})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(id.Account) != aws.ToString(c.OwnerAccount) || aws.ToString(id.Arn) != "arn:aws:iam::"+aws.ToString(id.Account)+":root" {
			t.Fatalf("STS says %s (%s), Direct Connect says %s", aws.ToString(id.Account), aws.ToString(id.Arn), aws.ToString(c.OwnerAccount))
		}
	}
}

func TestSTSOtherActionsAreRefusedWithoutRetry(t *testing.T) {
	e := newEnv(t)
	client := sts.New(sts.Options{
		Region: usEast, BaseEndpoint: aws.String(e.srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider(owner, "secret", ""),
	})
	calls := 0
	client = sts.New(client.Options(), func(o *sts.Options) {
		o.HTTPClient = countingClient{&calls}
	})
	_, err := client.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::111111111111:role/x"), RoleSessionName: aws.String("s")})
	wantAPIError(t, err, "InvalidAction", "GetCallerIdentity", "AssumeRole")
	if calls != 1 {
		t.Fatalf("the refusal was sent %d times; it must not be retried", calls)
	}
	resp, err := http.Post(e.srv.URL+"/", "application/x-www-form-urlencoded", strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "<Account>123456789012</Account>") {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
}

type countingClient struct{ n *int }

func (c countingClient) Do(r *http.Request) (*http.Response, error) {
	*c.n++
	return http.DefaultClient.Do(r)
}

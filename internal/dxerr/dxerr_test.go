package dxerr

import (
	"strings"
	"testing"
)

func TestNewRepeatsOnlyTheStartOfAHugeValue(t *testing.T) {
	arn := "arn:aws:secretsmanager:us-east-1:111111111111:secret:directconnect!prod/us-east-1/directconnect/" + strings.Repeat("a", 64) + "-abcdef"
	if got := New(NotFound, "Secret %s does not exist.", arn).Message; got != "Secret "+arn+" does not exist." {
		t.Fatalf("a real ARN was cut: %q", got)
	}
	huge := strings.Repeat("x", 1<<20)
	got := New(Invalid, "ConnectionID %s has an invalid format.", huge).Message
	if len(got) > 200 || got != "ConnectionID "+strings.Repeat("x", 64)+"... has an invalid format." {
		t.Fatalf("message of %d bytes: %.120q", len(got), got)
	}
}

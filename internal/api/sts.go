package api

import (
	"encoding/xml"
	"net/http"
	"strings"

	"go.uber.org/zap"
)

// STS answers only GetCallerIdentity, so that Terraform and the SDKs can ask who they are on
// the same endpoint without skip flags. It speaks the AWS Query protocol: a form-encoded
// request with Action=..., an XML answer.
const stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// isQueryRequest tells an STS (Query protocol) request from a Direct Connect (JSON 1.1) one:
// no X-Amz-Target, and a form body or an Action parameter in the URL.
func isQueryRequest(r *http.Request) bool {
	if r.Header.Get("X-Amz-Target") != "" {
		return false
	}
	return strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") || r.URL.Query().Has("Action")
}

type stsIdentity struct {
	XMLName xml.Name `xml:"GetCallerIdentityResponse"`
	Xmlns   string   `xml:"xmlns,attr"`
	Result  struct {
		Arn     string `xml:"Arn"`
		UserID  string `xml:"UserId"`
		Account string `xml:"Account"`
	} `xml:"GetCallerIdentityResult"`
	RequestID string `xml:"ResponseMetadata>RequestId"`
}

type stsError struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Xmlns   string   `xml:"xmlns,attr"`
	Error   struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	} `xml:"Error"`
	RequestID string `xml:"RequestId"`
}

// serveSTS answers one Query protocol request. The caller is the account derived from the
// access key, as for Direct Connect, so that ownerAccount and the STS account agree.
func (h *Handler) serveSTS(w http.ResponseWriter, r *http.Request) {
	caller, callerErr := callerOf(r, h.opts.DefaultAccount, h.opts.DefaultRegion)
	reqID := w.Header().Get("x-amzn-RequestId")
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	status := http.StatusOK
	action := ""
	defer func() {
		h.opts.Logger.Info("request", zap.String("requestId", reqID), zap.String("account", caller.Account),
			zap.String("region", caller.Region), zap.String("operation", "sts:"+action), zap.Int("status", status))
	}()
	var body any
	if callerErr != nil {
		// STS answers a credential scope without a valid region as a signature that does not match.
		status = http.StatusForbidden
		body = newSTSError(reqID, "SignatureDoesNotMatch", callerErr.Error())
	} else if err := r.ParseForm(); err != nil {
		status = http.StatusBadRequest
		body = newSTSError(reqID, "MalformedQueryString", "The request body is not a valid form: "+err.Error())
	} else if action = r.Form.Get("Action"); action != "GetCallerIdentity" {
		// 400 with a Sender fault: SDKs do not retry it.
		status = http.StatusBadRequest
		body = newSTSError(reqID, "InvalidAction", "dxlocal answers only the STS action GetCallerIdentity, not "+quoteAction(action)+".")
	} else {
		id := stsIdentity{Xmlns: stsNamespace, RequestID: reqID}
		id.Result.Arn = "arn:aws:iam::" + caller.Account + ":root"
		id.Result.UserID = caller.Account
		id.Result.Account = caller.Account
		body = id
	}
	out, _ := xml.Marshal(body)
	w.Header().Set("Content-Type", "text/xml")
	if status != http.StatusOK {
		w.Header().Set("x-amzn-ErrorType", body.(stsError).Error.Code)
	}
	w.WriteHeader(status)
	w.Write([]byte(xml.Header))
	w.Write(out)
}

func newSTSError(reqID, code, msg string) stsError {
	e := stsError{Xmlns: stsNamespace, RequestID: reqID}
	e.Error.Type, e.Error.Code, e.Error.Message = "Sender", code, msg
	return e
}

func quoteAction(a string) string {
	if a == "" {
		return "an empty Action"
	}
	return a
}

package auth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// MaxClockSkew is how far a request's signing time may lie from the server's
// clock, either way.
const MaxClockSkew = 15 * time.Minute

// maxPresignExpiry is the longest X-Amz-Expires AWS accepts (7 days).
const maxPresignExpiry = 7 * 24 * time.Hour

const (
	algorithm     = "AWS4-HMAC-SHA256"
	amzDateFormat = "20060102T150405Z"
	scopeTerm     = "aws4_request"
)

// sigParams are the parts of a SigV4 signature, from the Authorization
// header or from a presigned URL's query string.
type sigParams struct {
	accessKeyID   string
	date          string // yyyymmdd from the credential scope
	region        string
	service       string
	signedHeaders []string
	signature     string
	amzDate       string // the X-Amz-Date value the client signed with
	time          time.Time
	expires       time.Duration // presigned only; 0 when absent
	presigned     bool
}

// Verify checks the SigV4 signature of r, whose body has already been read
// into body, for the given service name ("route53", "globalaccelerator"). It
// accepts any Region in the credential scope, an Authorization header or a
// presigned query string, and a session token when it is signed. The
// signature is recomputed with aws-sdk-go-v2's signer over a copy of the
// request that carries only the signed headers, and compared in constant
// time. A failure is an *Error carrying the AWS code and HTTP status.
//
// The signing time must be in X-Amz-Date (header, or query for presigned
// URLs); a request signed with only a Date header is rejected because the
// SDK signer always signs X-Amz-Date.
func (c Credentials) Verify(r *http.Request, body []byte, service string, now time.Time) error {
	var p *sigParams
	var err *Error
	q := r.URL.Query()
	if q.Has("X-Amz-Signature") || q.Has("X-Amz-Algorithm") {
		p, err = parsePresigned(q)
	} else {
		p, err = parseAuthorization(r)
	}
	if err != nil {
		return err
	}
	if err := checkScope(p, service); err != nil {
		return err
	}
	if err := checkTime(p, now); err != nil {
		return err
	}
	secret, ok := c[p.accessKeyID]
	if !ok {
		return errUnknownKey()
	}
	payloadHash, err := payloadHash(r, q, body, p.presigned)
	if err != nil {
		return err
	}
	token := r.Header.Get("X-Amz-Security-Token")
	if p.presigned {
		token = q.Get("X-Amz-Security-Token")
	} else if token != "" && !contains(p.signedHeaders, "x-amz-security-token") {
		return errIncomplete("Header 'x-amz-security-token' is present but is not a signed header.")
	}
	creds := aws.Credentials{AccessKeyID: p.accessKeyID, SecretAccessKey: secret, SessionToken: token}
	want, signErr := recompute(r, p, creds, payloadHash)
	if signErr != nil {
		return errMismatch(signatureMismatchMessage)
	}
	if subtle.ConstantTimeCompare([]byte(want), []byte(p.signature)) != 1 {
		return errMismatch(signatureMismatchMessage)
	}
	return nil
}

// parseAuthorization reads the Authorization and X-Amz-Date headers.
func parseAuthorization(r *http.Request) (*sigParams, *Error) {
	h := r.Header.Get("Authorization")
	if strings.TrimSpace(h) == "" {
		return nil, errMissing()
	}
	alg, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
	if alg != algorithm {
		return nil, errIncomplete(fmt.Sprintf("Unsupported AWS 'algorithm': '%s'. Authorization=%s", alg, h))
	}
	fields := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok {
			fields[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	amzDate := r.Header.Get("X-Amz-Date")
	var missing []string
	for _, name := range []string{"Credential", "Signature", "SignedHeaders"} {
		if fields[name] == "" {
			missing = append(missing, "Authorization header requires '"+name+"' parameter.")
		}
	}
	if amzDate == "" {
		missing = append(missing, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	if len(missing) > 0 {
		return nil, errIncomplete(strings.Join(missing, " ") + " Authorization=" + h)
	}
	p := &sigParams{signature: fields["Signature"], amzDate: amzDate}
	if err := p.setCredential(fields["Credential"]); err != nil {
		return nil, err
	}
	p.signedHeaders = strings.Split(fields["SignedHeaders"], ";")
	if !contains(p.signedHeaders, "host") {
		return nil, errIncomplete("'Host' must be a 'SignedHeader' in the AWS Authorization.")
	}
	return p, p.setTime()
}

// parsePresigned reads the X-Amz-* query parameters of a presigned URL.
func parsePresigned(q url.Values) (*sigParams, *Error) {
	var missing []string
	for _, name := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"} {
		if q.Get(name) == "" {
			missing = append(missing, "AWS query-string parameters must include '"+name+"'.")
		}
	}
	if len(missing) > 0 {
		return nil, errIncomplete(strings.Join(missing, " ") + " Re-examine the query-string parameters.")
	}
	if alg := q.Get("X-Amz-Algorithm"); alg != algorithm {
		return nil, errIncomplete(fmt.Sprintf("Unsupported AWS 'algorithm': '%s'.", alg))
	}
	p := &sigParams{signature: q.Get("X-Amz-Signature"), amzDate: q.Get("X-Amz-Date"), presigned: true}
	if err := p.setCredential(q.Get("X-Amz-Credential")); err != nil {
		return nil, err
	}
	p.signedHeaders = strings.Split(q.Get("X-Amz-SignedHeaders"), ";")
	if !contains(p.signedHeaders, "host") {
		return nil, errIncomplete("'Host' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if e := q.Get("X-Amz-Expires"); e != "" {
		secs, err := strconv.ParseInt(e, 10, 64)
		if err != nil || secs <= 0 {
			return nil, errIncomplete("X-Amz-Expires must be a positive number of seconds, got '" + e + "'.")
		}
		d := time.Duration(secs) * time.Second
		if secs > int64(maxPresignExpiry/time.Second) {
			return nil, errIncomplete("X-Amz-Expires must be less than a week (in seconds) that is 604800")
		}
		p.expires = d
	}
	return p, p.setTime()
}

// setCredential splits "<AKID>/<yyyymmdd>/<region>/<service>/aws4_request".
func (p *sigParams) setCredential(cred string) *Error {
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return errIncomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" + cred + "'")
	}
	p.accessKeyID, p.date, p.region, p.service = parts[0], parts[1], parts[2], parts[3]
	if parts[4] != scopeTerm {
		return errMismatch("Credential should be scoped with a valid terminator: 'aws4_request', not '" + parts[4] + "'.")
	}
	return nil
}

func (p *sigParams) setTime() *Error {
	t, err := time.Parse(amzDateFormat, p.amzDate)
	if err != nil {
		return errIncomplete("Date must be in ISO-8601 'basic format'. Got '" + p.amzDate + "'. See http://en.wikipedia.org/wiki/ISO_8601")
	}
	p.time = t
	return nil
}

// checkScope checks the credential scope against the service and the date.
func checkScope(p *sigParams, service string) *Error {
	if p.region == "" {
		return errMismatch("Credential should be scoped to a valid region. ")
	}
	if p.service != service {
		return errMismatch("Credential should be scoped to correct service: '" + service + "'. ")
	}
	if day := p.time.Format("20060102"); p.date != day {
		return errMismatch(fmt.Sprintf("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.",
			p.date, day, p.amzDate))
	}
	return nil
}

// checkTime rejects signing times too far from now, with AWS's wording. A
// presigned URL with X-Amz-Expires is valid from its signing time (less the
// allowed skew) until the signing time plus the expiry.
func checkTime(p *sigParams, now time.Time) *Error {
	now = now.UTC()
	f := func(t time.Time) string { return t.UTC().Format(amzDateFormat) }
	mins := int(MaxClockSkew / time.Minute)
	if p.presigned && p.expires > 0 {
		if now.After(p.time.Add(p.expires)) {
			return errMismatch(fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %d sec.)",
				f(p.time), f(now.Add(-p.expires)), f(now), int(p.expires/time.Second)))
		}
	} else if earliest := now.Add(-MaxClockSkew); p.time.Before(earliest) {
		return errMismatch(fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %d min.)",
			f(p.time), f(earliest), f(now), mins))
	}
	if latest := now.Add(MaxClockSkew); p.time.After(latest) {
		return errMismatch(fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + %d min.)",
			f(p.time), f(latest), f(now), mins))
	}
	return nil
}

const emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// payloadHash returns the hex SHA-256 of body. A client-supplied
// x-amz-content-sha256 is honoured only when it is that hash: Meridian does
// not accept unsigned payloads.
func payloadHash(r *http.Request, q url.Values, body []byte, presigned bool) (string, *Error) {
	sum := sha256.Sum256(body)
	h := hex.EncodeToString(sum[:])
	claimed := r.Header.Get("X-Amz-Content-Sha256")
	if claimed == "" && presigned {
		claimed = q.Get("X-Amz-Content-Sha256")
	}
	if claimed != "" && !strings.EqualFold(claimed, h) {
		return "", errMismatch("The provided 'x-amz-content-sha256' header does not match what was computed.")
	}
	return h, nil
}

// recompute signs a copy of r carrying only the signed headers and returns
// the signature the client should have sent.
func recompute(r *http.Request, p *sigParams, creds aws.Credentials, payloadHash string) (string, error) {
	u := &url.URL{Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath}
	query := r.URL.Query()
	if p.presigned {
		query.Del("X-Amz-Signature")
	}
	u.RawQuery = query.Encode()
	clone := &http.Request{Method: r.Method, URL: u, Host: r.Host, Header: http.Header{}}
	for _, name := range p.signedHeaders {
		switch name {
		case "host", "":
			continue
		case "content-length":
			clone.ContentLength = r.ContentLength
			continue
		}
		if vals := r.Header.Values(name); len(vals) > 0 {
			clone.Header[textproto.CanonicalMIMEHeaderKey(name)] = vals
		}
	}
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableHeaderHoisting = true })
	ctx := context.Background()
	if p.presigned {
		signed, _, err := signer.PresignHTTP(ctx, creds, clone, payloadHash, p.service, p.region, p.time)
		if err != nil {
			return "", fmt.Errorf("presign: %w", err)
		}
		su, err := url.Parse(signed)
		if err != nil {
			return "", fmt.Errorf("parse presigned URL: %w", err)
		}
		return su.Query().Get("X-Amz-Signature"), nil
	}
	if err := signer.SignHTTP(ctx, creds, clone, payloadHash, p.service, p.region, p.time); err != nil {
		return "", fmt.Errorf("sign: %w", err)
	}
	auth := clone.Header.Get("Authorization")
	i := strings.LastIndex(auth, "Signature=")
	if i < 0 {
		return "", fmt.Errorf("signer produced no signature")
	}
	return auth[i+len("Signature="):], nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

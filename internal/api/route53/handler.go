// Package route53 serves the Route 53 REST-XML API (version 2013-04-01) over
// the control plane, wire-compatible with the aws CLI and the AWS SDKs.
package route53

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path"
	"strconv"
	"time"

	"github.com/meridian-gtm/meridian/internal/api/awserr"
	"github.com/meridian-gtm/meridian/internal/auth"
	"github.com/meridian-gtm/meridian/internal/control"
	"github.com/meridian-gtm/meridian/internal/healthcheck"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// MaxBodyBytes is the largest request body accepted.
const MaxBodyBytes = 4 << 20

// SigningService is the SigV4 service name of Route 53.
const SigningService = "route53"

// handler serves every path under /2013-04-01/.
type handler struct {
	svc      *control.Service
	creds    auth.Credentials
	answerer Answerer             // nil: TestDNSAnswer is unavailable
	observer healthcheck.Observer // nil: no checker has reported
	logger   *slog.Logger
	mux      *http.ServeMux
	now      func() time.Time
}

// request is what an operation sees: the HTTP request, its body (already
// read and authenticated) and its request ID.
type request struct {
	*http.Request
	body []byte
	id   string
}

// reply is an operation's successful outcome: the document to render as the
// response body (nil for none), the status (0: 200) and, for creations, the
// path of the new resource for the Location header.
type reply struct {
	status   int
	location string
	doc      any
}

type operation func(ctx context.Context, req *request) (reply, error)

type requestKey struct{}

// NewHandler returns the Route 53 API handler. Every request is SigV4-verified
// for service "route53" against creds before anything else. answerer runs
// TestDNSAnswer's queries on the serving data; nil makes TestDNSAnswer fail
// with ServiceUnavailable. observer reports the health checkers'
// observations for GetHealthCheckStatus and GetHealthCheckLastFailureReason;
// nil (no health-check engine) makes both report no observations.
func NewHandler(svc *control.Service, creds auth.Credentials, logger *slog.Logger, answerer Answerer, observer healthcheck.Observer) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	h := &handler{svc: svc, creds: creds, answerer: answerer, observer: observer, logger: logger, mux: http.NewServeMux(), now: time.Now}
	h.routes()
	return h
}

// routes registers every operation. Paths are matched segment by segment on
// the escaped path, so a URL-encoded "/hostedzone/" prefix stays inside its
// {id} segment and is stripped by control.StripPrefix.
func (h *handler) routes() {
	const v = "/2013-04-01"
	ops := []struct {
		pattern string
		op      operation
	}{
		{"POST " + v + "/hostedzone", h.createHostedZone},
		{"GET " + v + "/hostedzone", h.listHostedZones},
		{"GET " + v + "/hostedzone/{id}", h.getHostedZone},
		{"POST " + v + "/hostedzone/{id}", h.updateHostedZoneComment},
		{"DELETE " + v + "/hostedzone/{id}", h.deleteHostedZone},
		{"POST " + v + "/hostedzone/{id}/rrset", h.changeResourceRecordSets},
		{"POST " + v + "/hostedzone/{id}/rrset/{$}", h.changeResourceRecordSets},
		{"GET " + v + "/hostedzone/{id}/rrset", h.listResourceRecordSets},
		{"GET " + v + "/hostedzone/{id}/rrset/{$}", h.listResourceRecordSets},
		{"GET " + v + "/hostedzonesbyname", h.listHostedZonesByName},
		{"GET " + v + "/hostedzonecount", h.getHostedZoneCount},
		{"GET " + v + "/change/{id}", h.getChange},
		{"POST " + v + "/tags/{type}/{id}", h.changeTagsForResource},
		{"GET " + v + "/tags/{type}/{id}", h.listTagsForResource},
		{"POST " + v + "/tags/{type}", h.listTagsForResources},
		{"POST " + v + "/delegationset", h.createReusableDelegationSet},
		{"GET " + v + "/delegationset", h.listReusableDelegationSets},
		{"GET " + v + "/delegationset/{id}", h.getReusableDelegationSet},
		{"DELETE " + v + "/delegationset/{id}", h.deleteReusableDelegationSet},
		{"GET " + v + "/accountlimit/{type}", h.getAccountLimit},
		{"GET " + v + "/hostedzonelimit/{id}/{type}", h.getHostedZoneLimit},
		{"POST " + v + "/cidrcollection", h.createCidrCollection},
		{"GET " + v + "/cidrcollection", h.listCidrCollections},
		{"POST " + v + "/cidrcollection/{id}", h.changeCidrCollection},
		{"GET " + v + "/cidrcollection/{id}", h.listCidrLocations},
		{"DELETE " + v + "/cidrcollection/{id}", h.deleteCidrCollection},
		{"GET " + v + "/cidrcollection/{id}/cidrblocks", h.listCidrBlocks},
		{"GET " + v + "/geolocation", h.getGeoLocation},
		{"GET " + v + "/geolocations", h.listGeoLocations},
		{"GET " + v + "/testdnsanswer", h.testDNSAnswer},
		{"POST " + v + "/healthcheck", h.createHealthCheck},
		{"GET " + v + "/healthcheck", h.listHealthChecks},
		{"GET " + v + "/healthcheck/{id}", h.getHealthCheck},
		{"POST " + v + "/healthcheck/{id}", h.updateHealthCheck},
		{"DELETE " + v + "/healthcheck/{id}", h.deleteHealthCheck},
		{"GET " + v + "/healthcheck/{id}/status", h.getHealthCheckStatus},
		{"GET " + v + "/healthcheck/{id}/lastfailurereason", h.getHealthCheckLastFailureReason},
		{"GET " + v + "/healthcheckcount", h.getHealthCheckCount},
		{"GET " + v + "/checkeripranges", h.getCheckerIPRanges},
	}
	for _, o := range ops {
		h.mux.Handle(o.pattern, h.serveOp(o.op))
	}
	h.mux.Handle("/", h.serveOp(func(_ context.Context, req *request) (reply, error) {
		return reply{}, errUnknownOperation(req.Request)
	}))
}

// ServeHTTP reads the body, verifies the signature and dispatches.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := awserr.NewRequestID()
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		h.writeError(w, id, awserr.New("InvalidInput", "Could not read the request body.", http.StatusBadRequest))
		return
	}
	if len(body) > MaxBodyBytes {
		h.writeError(w, id, awserr.New("InvalidInput", fmt.Sprintf("The request body is larger than %d bytes.", MaxBodyBytes), http.StatusBadRequest))
		return
	}
	if err := h.creds.Verify(r, body, SigningService, h.now()); err != nil {
		h.logger.Debug("route53 API: authentication failed", "request_id", id, "method", r.Method, "path", r.URL.Path, "err", err)
		h.writeError(w, id, toAWSError(err, h.logger, id))
		return
	}
	if !isCleanPath(r.URL.EscapedPath()) {
		// http.ServeMux would answer with a redirect; AWS answers with an error.
		h.writeError(w, id, toAWSError(errUnknownOperation(r), h.logger, id))
		return
	}
	ctx := context.WithValue(r.Context(), requestKey{}, &request{body: body, id: id})
	h.mux.ServeHTTP(w, r.WithContext(ctx))
}

// isCleanPath reports whether p has no empty, "." or ".." segments (a
// trailing slash is allowed).
func isCleanPath(p string) bool {
	c := path.Clean(p)
	return p == c || p == c+"/"
}

// serveOp adapts an operation to http.Handler: it renders the reply or the
// error in Route 53's XML forms.
func (h *handler) serveOp(op operation) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _ := r.Context().Value(requestKey{}).(*request)
		if req == nil {
			// Only reachable if the mux is used without ServeHTTP.
			h.writeError(w, awserr.NewRequestID(), awserr.InternalFailure())
			return
		}
		req.Request = r
		rep, err := op(r.Context(), req)
		if err != nil {
			h.writeError(w, req.id, toAWSError(err, h.logger, req.id))
			return
		}
		h.writeReply(w, r, req.id, rep)
	})
}

func (h *handler) writeError(w http.ResponseWriter, id string, e *awserr.Error) {
	awserr.WriteXML(w, Namespace, id, e)
}

func (h *handler) writeReply(w http.ResponseWriter, r *http.Request, id string, rep reply) {
	var buf bytes.Buffer
	buf.WriteString(awserr.XMLDeclaration)
	if e, ok := rep.doc.(emptyResponse); ok {
		fmt.Fprintf(&buf, `<%s xmlns="%s"/>`, string(e), Namespace)
	} else if rep.doc != nil {
		if err := xml.NewEncoder(&buf).Encode(rep.doc); err != nil {
			h.writeError(w, id, toAWSError(fmt.Errorf("encode response: %w", err), h.logger, id))
			return
		}
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/xml")
	hdr.Set("Content-Length", strconv.Itoa(buf.Len()))
	awserr.SetRequestID(hdr, id)
	if rep.location != "" {
		hdr.Set("Location", baseURL(r)+rep.location)
	}
	status := rep.status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// baseURL is the scheme and host the client reached this server at.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// emptyResponse is the document of an operation with no output members: an
// empty root element of that name, e.g. <ChangeTagsForResourceResponse xmlns="…"/>.
type emptyResponse string

// parseMaxItems reads a maxitems query parameter: absent gives def, values
// above limit are capped at limit, and anything but a positive integer is
// InvalidInput. It also returns the string to echo as MaxItems.
func parseMaxItems(r *http.Request, def, limit int) (int, string, error) {
	s := r.URL.Query().Get("maxitems")
	if s == "" {
		return def, strconv.Itoa(def), nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, "", zone.InvalidInput("1 validation error detected: Value '" + s + "' at 'maxItems' failed to satisfy constraint: Member must be a positive integer")
	}
	if n > limit {
		n = limit
	}
	return n, s, nil
}

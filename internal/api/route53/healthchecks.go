package route53

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/http"
	"sort"

	"github.com/meridian-gtm/meridian/internal/control"
	"github.com/meridian-gtm/meridian/internal/healthcheck"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// The health check operations (spec 3 and 4.5). Health check IDs are bare
// UUIDs in paths and responses.
//
// Choices where Route 53 leaves room:
//   - GetHealthCheckStatus and GetHealthCheckLastFailureReason answer
//     InvalidInput for a CALCULATED check, as Route 53 does ("you can't use
//     GetHealthCheckStatus to get the status of a calculated health check"):
//     a calculated check has no checkers, so there is nothing per checker to
//     report.
//   - Without an Observer (no health-check engine running) both return an
//     empty observation list: no checker has reported.
//   - GetCheckerIpRanges needs no authorization at Route 53; Meridian signs
//     every request, this one included, since its clients (the aws CLI and
//     the SDKs) always sign. It reports the deployment's checker source
//     ranges (healthcheck.Options.CheckerIPRanges), or 127.0.0.0/8 for a
//     single-machine deployment that declares none.

type xmlAlarmIdentifier struct {
	Region string `xml:"Region"`
	Name   string `xml:"Name"`
}

// The lists of a HealthCheckConfig are pointers to their wrappers: an
// absent list has no element at all (encoding/xml writes the wrapper of an
// "a>b" path even when the list is empty).
type xmlChildHealthChecks struct {
	Items []string `xml:"ChildHealthCheck"`
}

type xmlRegions struct {
	Items []string `xml:"Region"`
}

// xmlHealthCheckConfig is a HealthCheckConfig with members in model order.
type xmlHealthCheckConfig struct {
	IPAddress                    string                `xml:"IPAddress,omitempty"`
	Port                         *int64                `xml:"Port,omitempty"`
	Type                         string                `xml:"Type"`
	ResourcePath                 string                `xml:"ResourcePath,omitempty"`
	FullyQualifiedDomainName     string                `xml:"FullyQualifiedDomainName,omitempty"`
	SearchString                 string                `xml:"SearchString,omitempty"`
	RequestInterval              *int64                `xml:"RequestInterval,omitempty"`
	FailureThreshold             *int64                `xml:"FailureThreshold,omitempty"`
	MeasureLatency               *bool                 `xml:"MeasureLatency,omitempty"`
	Inverted                     *bool                 `xml:"Inverted,omitempty"`
	Disabled                     *bool                 `xml:"Disabled,omitempty"`
	HealthThreshold              *int64                `xml:"HealthThreshold,omitempty"`
	ChildHealthChecks            *xmlChildHealthChecks `xml:"ChildHealthChecks,omitempty"`
	EnableSNI                    *bool                 `xml:"EnableSNI,omitempty"`
	Regions                      *xmlRegions           `xml:"Regions,omitempty"`
	AlarmIdentifier              *xmlAlarmIdentifier   `xml:"AlarmIdentifier,omitempty"`
	InsufficientDataHealthStatus string                `xml:"InsufficientDataHealthStatus,omitempty"`
	RoutingControlArn            string                `xml:"RoutingControlArn,omitempty"`
}

type xmlHealthCheck struct {
	ID                 string               `xml:"Id"`
	CallerReference    string               `xml:"CallerReference"`
	HealthCheckConfig  xmlHealthCheckConfig `xml:"HealthCheckConfig"`
	HealthCheckVersion int64                `xml:"HealthCheckVersion"`
}

func healthCheckXML(hc healthcheck.HealthCheck) xmlHealthCheck {
	c := hc.Config
	out := xmlHealthCheckConfig{
		IPAddress:                    c.IPAddress,
		Port:                         c.Port,
		Type:                         c.Type,
		ResourcePath:                 c.ResourcePath,
		FullyQualifiedDomainName:     c.FullyQualifiedDomainName,
		SearchString:                 c.SearchString,
		RequestInterval:              c.RequestInterval,
		FailureThreshold:             c.FailureThreshold,
		MeasureLatency:               c.MeasureLatency,
		Inverted:                     c.Inverted,
		Disabled:                     c.Disabled,
		HealthThreshold:              c.HealthThreshold,
		EnableSNI:                    c.EnableSNI,
		InsufficientDataHealthStatus: c.InsufficientDataHealthStatus,
		RoutingControlArn:            c.RoutingControlArn,
	}
	if len(c.ChildHealthChecks) > 0 {
		out.ChildHealthChecks = &xmlChildHealthChecks{Items: c.ChildHealthChecks}
	}
	if len(c.Regions) > 0 {
		out.Regions = &xmlRegions{Items: c.Regions}
	}
	if a := c.AlarmIdentifier; a != nil {
		out.AlarmIdentifier = &xmlAlarmIdentifier{Region: a.Region, Name: a.Name}
	}
	return xmlHealthCheck{ID: hc.ID, CallerReference: hc.CallerReference, HealthCheckConfig: out, HealthCheckVersion: hc.Version}
}

// healthCheckResponse is the output of CreateHealthCheck, GetHealthCheck and
// UpdateHealthCheck.
type healthCheckResponse struct {
	XMLName     xml.Name
	HealthCheck xmlHealthCheck `xml:"HealthCheck"`
}

// xmlHealthChecks wraps the list so that an empty one is still an element.
type xmlHealthChecks struct {
	Items []xmlHealthCheck `xml:"HealthCheck"`
}

type listHealthChecksResponse struct {
	XMLName      xml.Name
	HealthChecks xmlHealthChecks `xml:"HealthChecks"`
	Marker       string          `xml:"Marker,omitempty"`
	IsTruncated  bool            `xml:"IsTruncated"`
	NextMarker   string          `xml:"NextMarker,omitempty"`
	MaxItems     string          `xml:"MaxItems"`
}

type healthCheckCountResponse struct {
	XMLName          xml.Name
	HealthCheckCount int64 `xml:"HealthCheckCount"`
}

type xmlStatusReport struct {
	Status      string `xml:"Status,omitempty"`
	CheckedTime string `xml:"CheckedTime,omitempty"`
}

type xmlObservation struct {
	Region       string          `xml:"Region,omitempty"`
	IPAddress    string          `xml:"IPAddress,omitempty"`
	StatusReport xmlStatusReport `xml:"StatusReport"`
}

type xmlObservations struct {
	Items []xmlObservation `xml:"HealthCheckObservation"`
}

// observationsResponse is the output of GetHealthCheckStatus and
// GetHealthCheckLastFailureReason.
type observationsResponse struct {
	XMLName      xml.Name
	Observations xmlObservations `xml:"HealthCheckObservations"`
}

type xmlMembers struct {
	Items []string `xml:"member"`
}

type checkerIPRangesResponse struct {
	XMLName         xml.Name
	CheckerIPRanges xmlMembers `xml:"CheckerIpRanges"`
}

func (h *handler) createHealthCheck(ctx context.Context, req *request) (reply, error) {
	ref, cfg, err := parseCreateHealthCheck(req.body)
	if err != nil {
		return reply{}, err
	}
	hc, err := h.svc.CreateHealthCheck(ctx, ref, cfg)
	if err != nil {
		return reply{}, err
	}
	// Route 53 answers 201 also when the caller reference returns an
	// existing check.
	return reply{
		status:   http.StatusCreated,
		location: "/2013-04-01/healthcheck/" + hc.ID,
		doc:      healthCheckResponse{XMLName: rootName("CreateHealthCheckResponse"), HealthCheck: healthCheckXML(hc)},
	}, nil
}

func (h *handler) getHealthCheck(ctx context.Context, req *request) (reply, error) {
	hc, err := h.svc.GetHealthCheck(ctx, req.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	return reply{doc: healthCheckResponse{XMLName: rootName("GetHealthCheckResponse"), HealthCheck: healthCheckXML(hc)}}, nil
}

func (h *handler) listHealthChecks(ctx context.Context, req *request) (reply, error) {
	max, maxEcho, err := parseMaxItems(req.Request, control.DefaultHealthCheckPageSize, control.MaxHealthCheckPageSize)
	if err != nil {
		return reply{}, err
	}
	marker := req.URL.Query().Get("marker")
	if len(marker) > healthcheck.MaxIDLen {
		return reply{}, zone.InvalidInput("1 validation error detected: Value '" + marker +
			"' at 'marker' failed to satisfy constraint: Member must have length less than or equal to 64")
	}
	page, err := h.svc.ListHealthChecks(ctx, marker, max)
	if err != nil {
		return reply{}, err
	}
	resp := listHealthChecksResponse{
		XMLName:     rootName("ListHealthChecksResponse"),
		Marker:      marker,
		IsTruncated: page.NextMarker != "",
		NextMarker:  page.NextMarker,
		MaxItems:    maxEcho,
	}
	for _, hc := range page.HealthChecks {
		resp.HealthChecks.Items = append(resp.HealthChecks.Items, healthCheckXML(hc))
	}
	return reply{doc: resp}, nil
}

func (h *handler) updateHealthCheck(ctx context.Context, req *request) (reply, error) {
	u, err := parseUpdateHealthCheck(req.body)
	if err != nil {
		return reply{}, err
	}
	hc, err := h.svc.UpdateHealthCheck(ctx, req.PathValue("id"), u)
	if err != nil {
		return reply{}, err
	}
	return reply{doc: healthCheckResponse{XMLName: rootName("UpdateHealthCheckResponse"), HealthCheck: healthCheckXML(hc)}}, nil
}

func (h *handler) deleteHealthCheck(ctx context.Context, req *request) (reply, error) {
	if err := h.svc.DeleteHealthCheck(ctx, req.PathValue("id")); err != nil {
		return reply{}, err
	}
	return reply{doc: emptyResponse("DeleteHealthCheckResponse")}, nil
}

func (h *handler) getHealthCheckCount(ctx context.Context, _ *request) (reply, error) {
	n, err := h.svc.HealthCheckCount(ctx)
	if err != nil {
		return reply{}, err
	}
	return reply{doc: healthCheckCountResponse{XMLName: rootName("GetHealthCheckCountResponse"), HealthCheckCount: int64(n)}}, nil
}

func (h *handler) getHealthCheckStatus(ctx context.Context, req *request) (reply, error) {
	return h.observations(ctx, req, "GetHealthCheckStatus", healthcheck.Observer.Observations)
}

func (h *handler) getHealthCheckLastFailureReason(ctx context.Context, req *request) (reply, error) {
	return h.observations(ctx, req, "GetHealthCheckLastFailureReason", healthcheck.Observer.LastFailures)
}

// observations answers an observation operation with read's report for the
// check named in the path.
func (h *handler) observations(ctx context.Context, req *request, op string, read func(healthcheck.Observer, string) []healthcheck.Observation) (reply, error) {
	hc, err := h.svc.GetHealthCheck(ctx, req.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	if hc.Config.Type == healthcheck.TypeCalculated {
		return reply{}, zone.InvalidInput("Invalid parameter : " + op + " is not supported for calculated health checks. " +
			"A calculated health check has no health checkers of its own: get the status of its child health checks instead.")
	}
	var obs []healthcheck.Observation
	if h.observer != nil {
		obs = append(obs, read(h.observer, hc.ID)...)
	}
	sort.SliceStable(obs, func(i, j int) bool {
		if obs[i].Region != obs[j].Region {
			return obs[i].Region < obs[j].Region
		}
		return obs[i].IPAddress < obs[j].IPAddress
	})
	resp := observationsResponse{XMLName: rootName(op + "Response")}
	for _, o := range obs {
		resp.Observations.Items = append(resp.Observations.Items, xmlObservation{
			Region:       o.Region,
			IPAddress:    o.IPAddress,
			StatusReport: xmlStatusReport{Status: o.Status, CheckedTime: o.CheckedTime},
		})
	}
	return reply{doc: resp}, nil
}

func (h *handler) getCheckerIPRanges(_ context.Context, _ *request) (reply, error) {
	return reply{doc: checkerIPRangesResponse{
		XMLName:         rootName("GetCheckerIpRangesResponse"),
		CheckerIPRanges: xmlMembers{Items: h.svc.CheckerIPRanges()},
	}}, nil
}

// healthCheckConfigMembers are HealthCheckConfig's members in model order.
var healthCheckConfigMembers = []string{
	"IPAddress", "Port", "Type", "ResourcePath", "FullyQualifiedDomainName", "SearchString", "RequestInterval",
	"FailureThreshold", "MeasureLatency", "Inverted", "Disabled", "HealthThreshold", "ChildHealthChecks",
	"EnableSNI", "Regions", "AlarmIdentifier", "InsufficientDataHealthStatus", "RoutingControlArn",
}

// updateHealthCheckMembers are UpdateHealthCheckRequest's body members in
// model order.
var updateHealthCheckMembers = []string{
	"HealthCheckVersion", "IPAddress", "Port", "ResourcePath", "FullyQualifiedDomainName", "SearchString",
	"FailureThreshold", "Inverted", "Disabled", "HealthThreshold", "ChildHealthChecks", "EnableSNI", "Regions",
	"AlarmIdentifier", "InsufficientDataHealthStatus", "ResetElements",
}

func parseCreateHealthCheck(body []byte) (string, healthcheck.Config, error) {
	var cfg healthcheck.Config
	root, err := parseDocument(body, "CreateHealthCheckRequest")
	if err != nil {
		return "", cfg, err
	}
	kids, err := root.complexType("CallerReference", "HealthCheckConfig")
	if err != nil {
		return "", cfg, err
	}
	refEl, err := required(root, kids, "CallerReference")
	if err != nil {
		return "", cfg, err
	}
	ref, err := refEl.leaf()
	if err != nil {
		return "", cfg, err
	}
	cfgEl, err := required(root, kids, "HealthCheckConfig")
	if err != nil {
		return "", cfg, err
	}
	ck, err := cfgEl.complexType(healthCheckConfigMembers...)
	if err != nil {
		return "", cfg, err
	}
	typeEl, err := required(cfgEl, ck, "Type")
	if err != nil {
		return "", cfg, err
	}
	if cfg.Type, err = typeEl.leaf(); err != nil {
		return "", cfg, err
	}
	f := fields{kids: ck}
	f.str("IPAddress", &cfg.IPAddress)
	f.long("Port", &cfg.Port)
	f.str("ResourcePath", &cfg.ResourcePath)
	f.str("FullyQualifiedDomainName", &cfg.FullyQualifiedDomainName)
	f.str("SearchString", &cfg.SearchString)
	f.long("RequestInterval", &cfg.RequestInterval)
	f.long("FailureThreshold", &cfg.FailureThreshold)
	f.boolean("MeasureLatency", &cfg.MeasureLatency)
	f.boolean("Inverted", &cfg.Inverted)
	f.boolean("Disabled", &cfg.Disabled)
	f.long("HealthThreshold", &cfg.HealthThreshold)
	f.list("ChildHealthChecks", "ChildHealthCheck", &cfg.ChildHealthChecks)
	f.boolean("EnableSNI", &cfg.EnableSNI)
	f.list("Regions", "Region", &cfg.Regions)
	f.alarm(&cfg.AlarmIdentifier)
	f.str("InsufficientDataHealthStatus", &cfg.InsufficientDataHealthStatus)
	f.str("RoutingControlArn", &cfg.RoutingControlArn)
	return ref, cfg, f.err
}

// parseUpdateHealthCheck parses an UpdateHealthCheckRequest. A body without
// any member may be empty.
func parseUpdateHealthCheck(body []byte) (healthcheck.Update, error) {
	var u healthcheck.Update
	if len(bytes.TrimSpace(body)) == 0 {
		return u, nil
	}
	root, err := parseDocument(body, "UpdateHealthCheckRequest")
	if err != nil {
		return u, err
	}
	kids, err := root.complexType(updateHealthCheckMembers...)
	if err != nil {
		return u, err
	}
	f := fields{kids: kids}
	f.long("HealthCheckVersion", &u.HealthCheckVersion)
	f.strPtr("IPAddress", &u.IPAddress)
	f.long("Port", &u.Port)
	f.strPtr("ResourcePath", &u.ResourcePath)
	f.strPtr("FullyQualifiedDomainName", &u.FullyQualifiedDomainName)
	f.strPtr("SearchString", &u.SearchString)
	f.long("FailureThreshold", &u.FailureThreshold)
	f.boolean("Inverted", &u.Inverted)
	f.boolean("Disabled", &u.Disabled)
	f.long("HealthThreshold", &u.HealthThreshold)
	f.list("ChildHealthChecks", "ChildHealthCheck", &u.ChildHealthChecks)
	f.boolean("EnableSNI", &u.EnableSNI)
	f.list("Regions", "Region", &u.Regions)
	f.alarm(&u.AlarmIdentifier)
	f.strPtr("InsufficientDataHealthStatus", &u.InsufficientDataHealthStatus)
	f.list("ResetElements", "ResettableElementName", &u.ResetElements)
	return u, f.err
}

// fields reads optional members of one element, keeping the first error.
type fields struct {
	kids map[string]*element
	err  error
}

func (f *fields) get(name string) *element {
	if f.err != nil {
		return nil
	}
	return f.kids[name]
}

func (f *fields) str(name string, dst *string) {
	if el := f.get(name); el != nil {
		*dst, f.err = el.leaf()
	}
}

func (f *fields) strPtr(name string, dst **string) {
	if el := f.get(name); el != nil {
		var s string
		if s, f.err = el.leaf(); f.err == nil {
			*dst = &s
		}
	}
}

func (f *fields) long(name string, dst **int64) {
	if el := f.get(name); el != nil {
		var v int64
		if v, f.err = el.long(); f.err == nil {
			*dst = &v
		}
	}
}

func (f *fields) boolean(name string, dst **bool) {
	if el := f.get(name); el != nil {
		var v bool
		if v, f.err = el.boolean(); f.err == nil {
			*dst = &v
		}
	}
}

// list reads a list wrapper; a present but empty wrapper gives an empty,
// non-nil list.
func (f *fields) list(name, item string, dst *[]string) {
	el := f.get(name)
	if el == nil {
		return
	}
	items, err := el.list(item, 0, 0)
	if err != nil {
		f.err = err
		return
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, err := it.leaf()
		if err != nil {
			f.err = err
			return
		}
		out = append(out, s)
	}
	*dst = out
}

func (f *fields) alarm(dst **healthcheck.AlarmIdentifier) {
	el := f.get("AlarmIdentifier")
	if el == nil {
		return
	}
	kids, err := el.complexType("Region", "Name")
	if err != nil {
		f.err = err
		return
	}
	var a healthcheck.AlarmIdentifier
	for _, m := range []struct {
		name string
		dst  *string
	}{{"Region", &a.Region}, {"Name", &a.Name}} {
		c, err := required(el, kids, m.name)
		if err != nil {
			f.err = err
			return
		}
		if *m.dst, err = c.leaf(); err != nil {
			f.err = err
			return
		}
	}
	*dst = &a
}

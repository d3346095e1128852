package control

import (
	"github.com/meridian-gtm/meridian/internal/accel"
	"github.com/meridian-gtm/meridian/internal/globalaccel"
	"github.com/meridian-gtm/meridian/internal/healthcheck"
)

// CompilePlan compiles accelerators into the data plane's plan: every
// accelerator (a disabled one with Enabled false, so the data plane refuses
// its traffic but keeps its addresses), its serving addresses, listeners,
// endpoint groups with resolved health-check ports and port overrides, and
// endpoints with their addresses, ports and synthetic health check IDs
// (globalaccel.HealthCheckID).
func CompilePlan(accs []globalaccel.Accelerator) *accel.Plan {
	plan := &accel.Plan{Accelerators: make([]accel.Accelerator, 0, len(accs))}
	for i := range accs {
		a := &accs[i]
		pa := accel.Accelerator{ARN: a.ARN, Name: a.Name, Enabled: a.Enabled, Addresses: a.Addresses()}
		for j := range a.Listeners {
			l := &a.Listeners[j]
			pl := accel.Listener{ARN: l.ARN, Protocol: l.Protocol, ClientAffinity: l.ClientAffinity}
			for _, r := range l.PortRanges {
				pl.PortRanges = append(pl.PortRanges, accel.PortRange{From: uint16(r.FromPort), To: uint16(r.ToPort)})
			}
			for k := range l.EndpointGroups {
				pl.Groups = append(pl.Groups, compileGroup(l, &l.EndpointGroups[k]))
			}
			pa.Listeners = append(pa.Listeners, pl)
		}
		plan.Accelerators = append(plan.Accelerators, pa)
	}
	return plan
}

func compileGroup(l *globalaccel.Listener, eg *globalaccel.EndpointGroup) accel.EndpointGroup {
	pg := accel.EndpointGroup{
		ARN:                eg.ARN,
		Region:             eg.Region,
		TrafficDial:        eg.TrafficDialPercentage,
		HealthCheckPort:    uint16(eg.EffectiveHealthCheckPort(l)),
		HealthCheckProto:   eg.HealthCheckProtocol,
		HealthCheckPath:    eg.HealthCheckPath,
		HealthCheckSeconds: eg.HealthCheckIntervalSeconds,
		ThresholdCount:     eg.ThresholdCount,
	}
	if len(eg.PortOverrides) > 0 {
		pg.PortOverrides = make(map[uint16]uint16, len(eg.PortOverrides))
		for _, o := range eg.PortOverrides {
			pg.PortOverrides[uint16(o.ListenerPort)] = uint16(o.EndpointPort)
		}
	}
	for _, e := range eg.Endpoints {
		addr, port, err := globalaccel.ParseEndpointID(e.EndpointID)
		if err != nil {
			continue // stored IDs are canonical; an unreadable one serves nothing
		}
		pg.Endpoints = append(pg.Endpoints, accel.Endpoint{
			ID:                   e.EndpointID,
			Addr:                 addr,
			Port:                 port,
			Weight:               e.Weight,
			ClientIPPreservation: e.ClientIPPreservationEnabled,
			HealthCheckID:        globalaccel.HealthCheckID(eg.ARN, e.EndpointID),
		})
	}
	return pg
}

// HealthChecksFor returns the synthetic health checks that watch every
// endpoint of every endpoint group, for the health-check engine (they are
// not Route 53 health checks and the Route 53 API does not list them). Each
// has the ID globalaccel.HealthCheckID(group ARN, endpoint ID), probes the
// endpoint's address with the group's protocol (TCP, HTTP or HTTPS; TCP for
// every endpoint behind a UDP listener, spec 5.4), path, interval and
// threshold, on the group's health-check port: the configured
// HealthCheckPort, else the endpoint's own port for an IP:port endpoint,
// else the listener's first port — never a port override's target (spec
// 5.3). Checks run for disabled accelerators too, so their endpoints' health
// is known when they are enabled again.
func HealthChecksFor(accs []globalaccel.Accelerator) []healthcheck.HealthCheck {
	var out []healthcheck.HealthCheck
	for i := range accs {
		for j := range accs[i].Listeners {
			l := &accs[i].Listeners[j]
			for k := range l.EndpointGroups {
				eg := &l.EndpointGroups[k]
				for _, e := range eg.Endpoints {
					if hc, ok := endpointCheck(l, eg, e); ok {
						out = append(out, hc)
					}
				}
			}
		}
	}
	return out
}

func endpointCheck(l *globalaccel.Listener, eg *globalaccel.EndpointGroup, e globalaccel.Endpoint) (healthcheck.HealthCheck, bool) {
	addr, epPort, err := globalaccel.ParseEndpointID(e.EndpointID)
	if err != nil {
		return healthcheck.HealthCheck{}, false
	}
	port := int64(eg.EffectiveHealthCheckPort(l))
	if eg.HealthCheckPort == 0 && epPort != 0 {
		port = int64(epPort)
	}
	typ := eg.HealthCheckProtocol
	if l.Protocol == globalaccel.ProtocolUDP {
		typ = healthcheck.TypeTCP
	}
	interval := int64(eg.HealthCheckIntervalSeconds)
	threshold := int64(eg.ThresholdCount)
	sni := false
	cfg := healthcheck.Config{
		Type:             typ,
		IPAddress:        addr.String(),
		Port:             &port,
		RequestInterval:  &interval,
		FailureThreshold: &threshold,
		EnableSNI:        &sni,
	}
	if typ != healthcheck.TypeTCP {
		cfg.ResourcePath = eg.HealthCheckPath
	}
	healthcheck.Defaults(&cfg)
	return healthcheck.HealthCheck{
		ID:              globalaccel.HealthCheckID(eg.ARN, e.EndpointID),
		CallerReference: eg.ARN,
		Config:          cfg,
		Version:         1,
	}, true
}

// Package routing chooses the record sets that answer one DNS query: it
// runs the routing policy of a compiled plan (simple, weighted, failover,
// multivalue, latency, geolocation, geoproximity, IP-based; spec 2.5–2.7)
// for one client, with health checks, alias trees and EvaluateTargetHealth,
// and records the ECS scope the decision supports and, on request, why it
// chose what it chose.
//
// It is pure: per query it reads an immutable snapshot.Plan and an Env (the
// client locator, the latency map, the region catalog and the health view,
// each swapped atomically by its owner) and keeps all of its state in a
// Query on the caller's stack, so the hot path does not allocate. The
// compiled data (weight tables, geolocation indexes, CIDR prefix tables,
// geoproximity placements) lives in package snapshot, which knows nothing of
// clients; this package knows nothing of DNS messages, which package
// dnsserver builds from what Pick returns.
package routing

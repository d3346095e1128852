// Package health runs Route 53 health checks: it probes endpoints (HTTP,
// HTTPS, string match, TCP), evaluates CloudWatch-style alarms against a
// Prometheus HTTP API, keeps each checker's consecutive-result state,
// aggregates checkers into a status per check (quorum, inversion,
// disabling, calculated checks) and publishes the statuses to routing as a
// healthstate.View.
//
// # Checkers
//
// A node runs checkers labelled with regions (Config.Regions). A check is
// probed by CheckersPerRegion checkers in each region it lists that this
// node runs; a check listing no Regions is probed from every region of the
// node (Route 53's eight when Config.Regions is empty: one machine
// emulating them all). When the node runs none of the regions a check
// lists, it probes from all of its own, so that every node measures every
// check it routes with. A CLOUDWATCH_METRIC check has one checker, labelled
// with its alarm's region. Checkers are independent, as in Route 53: each
// probes every RequestInterval (or Config.Interval) measured from its
// previous response, with its first probe at a random point of the first
// interval and a ±5% jitter after that.
//
// # Status
//
// A checker's first result sets its state; after that it flips only after
// FailureThreshold consecutive opposite results. The measured status of a
// check is its aggregation policy applied to its checkers once every checker
// has reported (a full round); until then it keeps its previous measured
// status, which for a new check is the cold-start status (healthy, as in
// Route 53, unless Config.ColdStartUnhealthy). Route 53's policy is
// "healthy when more than 18% of checkers say healthy"; Config.Policies may
// choose majority, all or any per check (keyed by ID or Name tag), since
// Route 53's HealthCheckConfig has no field for it. The final status is
// Inverted XOR (Disabled ? healthy : measured). A CALCULATED check is
// healthy when at least HealthThreshold of its children's final statuses
// are healthy (a child the engine does not know counts as healthy, as
// routing treats a deleted check); it is recomputed whenever a child
// changes.
//
// # Budget
//
// One scheduler goroutine keeps every checker in a heap ordered by due
// time and starts the probes due within a small slack (a fiftieth of the
// interval, at most 10 ms) together, so that it wakes for batches rather
// than for each probe. A probe starts once a slot of the global semaphore
// (MaxConcurrency) is free. On Linux, plain HTTP and TCP probes of an IP
// address run in one event loop (epoll over non-blocking sockets, the
// status line and headers read without net/http unless they are unusual,
// deadlines in a heap), with no goroutine, net.Conn or timer each; the
// other probes (HTTPS, string match, names to resolve, CloudWatch alarms)
// and every probe on other systems run in a short-lived goroutine. No
// endpoint (address or name, and port) is probed more often than
// MinTargetInterval across all checks and checkers: a probe that would
// come sooner is given the endpoint's next free slot. Probes open a new
// connection each time, as Route 53's checkers do, without TCP keep-alive.
package health

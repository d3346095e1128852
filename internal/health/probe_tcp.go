package health

import "context"

// probeTCP runs a TCP probe: a connection established within the TCP
// timeout (10 s) is healthy; nothing is sent.
func (p *Prober) probeTCP(ctx context.Context, e *endpoint) Result {
	addr, res := p.resolve(ctx, e)
	if res != nil {
		return *res
	}
	conn, src, res := dial(ctx, addr, e.port, p.timeouts().TCP)
	if res != nil {
		return *res
	}
	_ = conn.Close()
	return Result{Healthy: true, Status: statusTCPSuccess, Source: src}
}

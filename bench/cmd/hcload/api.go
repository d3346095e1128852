package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// client returns a Route 53 client for the server at o.api.
func client(o options) (*route53.Client, error) {
	if o.api == "" || o.key == "" || o.secret == "" {
		return nil, errors.New("-api, -key and -secret are required")
	}
	return route53.New(route53.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(o.api),
		Credentials:  credentials.NewStaticCredentialsProvider(o.key, o.secret, ""),
	}), nil
}

// limit prints the active health check quota and count.
func limit(ctx context.Context, o options) error {
	c, err := client(o)
	if err != nil {
		return err
	}
	out, err := c.GetAccountLimit(ctx, &route53.GetAccountLimitInput{Type: types.AccountLimitTypeMaxHealthChecksByOwner})
	if err != nil {
		return fmt.Errorf("GetAccountLimit: %w", err)
	}
	var value int64
	if out.Limit != nil {
		value = aws.ToInt64(out.Limit.Value)
	}
	fmt.Printf("limit=%d count=%d\n", value, out.Count)
	return nil
}

// create makes the checks through the API, o.concurrency at a time, and
// prints "created=N seconds=S rate=R".
func create(ctx context.Context, o options) error {
	c, err := client(o)
	if err != nil {
		return err
	}
	eps, err := readEndpoints(o.endpoints)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next, done atomic.Int64
	var once sync.Once
	var firstErr error
	start := time.Now()
	var wg sync.WaitGroup
	for range o.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= o.n {
					return
				}
				ep := eps[i%len(eps)]
				_, err := c.CreateHealthCheck(ctx, &route53.CreateHealthCheckInput{
					CallerReference: aws.String(callerRef(i)),
					HealthCheckConfig: &types.HealthCheckConfig{
						Type:             types.HealthCheckTypeHttp,
						IPAddress:        aws.String(ep.Addr().String()),
						Port:             aws.Int32(int32(ep.Port())),
						ResourcePath:     aws.String(resourcePath(i)),
						RequestInterval:  aws.Int32(int32(o.interval)),
						FailureThreshold: aws.Int32(int32(o.threshold)),
					},
				})
				if err != nil {
					once.Do(func() {
						firstErr = fmt.Errorf("CreateHealthCheck %s: %w", callerRef(i), err)
						cancel()
					})
					return
				}
				if n := done.Add(1); n%1000 == 0 {
					log.Printf("created %d checks in %.1fs", n, time.Since(start).Seconds())
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("create: %w", err)
	}
	secs := time.Since(start).Seconds()
	fmt.Printf("created=%d seconds=%.1f rate=%.0f\n", done.Load(), secs, float64(done.Load())/secs)
	return nil
}

// status asks GetHealthCheckStatus of o.sample benchmark checks spread over
// the list.
func status(ctx context.Context, o options) error {
	c, err := client(o)
	if err != nil {
		return err
	}
	var ids []string
	var marker *string
	for {
		out, err := c.ListHealthChecks(ctx, &route53.ListHealthChecksInput{Marker: marker, MaxItems: aws.Int32(1000)})
		if err != nil {
			return fmt.Errorf("ListHealthChecks: %w", err)
		}
		for _, hc := range out.HealthChecks {
			if strings.HasPrefix(aws.ToString(hc.CallerReference), "hcbench-") {
				ids = append(ids, aws.ToString(hc.Id))
			}
		}
		if !out.IsTruncated || out.NextMarker == nil {
			break
		}
		marker = out.NextMarker
	}
	if len(ids) == 0 {
		return errors.New("status: no benchmark health checks")
	}
	k := min(o.sample, len(ids))
	reported, success, observations := 0, 0, 0
	for j := range k {
		id := ids[j*len(ids)/k]
		out, err := c.GetHealthCheckStatus(ctx, &route53.GetHealthCheckStatusInput{HealthCheckId: aws.String(id)})
		if err != nil {
			return fmt.Errorf("GetHealthCheckStatus %s: %w", id, err)
		}
		obs := out.HealthCheckObservations
		observations += len(obs)
		if len(obs) == 0 {
			continue
		}
		reported++
		ok := true
		for _, ob := range obs {
			if ob.StatusReport == nil || !strings.HasPrefix(aws.ToString(ob.StatusReport.Status), "Success") {
				ok = false
			}
		}
		if ok {
			success++
		}
	}
	fmt.Printf("sampled=%d reported=%d success=%d observations=%d checks=%d\n", k, reported, success, observations, len(ids))
	return nil
}

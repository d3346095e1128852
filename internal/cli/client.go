package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/route53"
)

// defaultRegion is used when AWS_REGION is unset. Route 53 is global and
// Meridian accepts any region in the signature's scope.
const defaultRegion = "us-east-1"

// NewClient returns a Route 53 client for the Meridian server whose API is at
// endpoint. Credentials come, in order, from the environment variables
// MERIDIAN_ACCESS_KEY_ID and MERIDIAN_SECRET_ACCESS_KEY, from the [default]
// profile of the shared-credentials file dataDir/credentials, or from the SDK's
// default chain. The region is AWS_REGION, else us-east-1.
func NewClient(ctx context.Context, endpoint, dataDir string) (*route53.Client, error) {
	c, _, err := newClient(ctx, endpoint, dataDir, os.Getenv)
	return c, err
}

// newClient builds the client; explicit reports whether the credentials came
// from Meridian's own sources rather than the SDK's default chain.
func newClient(ctx context.Context, endpoint, dataDir string, getenv func(string) string) (c *route53.Client, explicit bool, err error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, false, fmt.Errorf("invalid endpoint %q: want a URL such as %s", endpoint, DefaultEndpoint)
	}
	region := getenv("AWS_REGION")
	if region == "" {
		region = defaultRegion
	}
	// The instance-metadata service is never asked: Meridian's client must not
	// send traffic anywhere but the endpoint it was given.
	opts := []func(*config.LoadOptions) error{
		config.WithRegion(region),
		config.WithEC2IMDSClientEnableState(imds.ClientDisabled),
	}
	provider, err := meridianCredentials(ctx, dataDir, getenv)
	if err != nil {
		return nil, false, err
	}
	if provider != nil {
		opts = append(opts, config.WithCredentialsProvider(provider))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, false, fmt.Errorf("loading AWS SDK configuration: %w", err)
	}
	return route53.NewFromConfig(cfg, func(o *route53.Options) {
		o.BaseEndpoint = aws.String(endpoint)
	}), provider != nil, nil
}

// meridianCredentials returns the credentials Meridian itself points at: the
// MERIDIAN_* environment variables, else the data directory's credentials
// file. It returns nil when neither is there, leaving the SDK's default chain.
func meridianCredentials(ctx context.Context, dataDir string, getenv func(string) string) (aws.CredentialsProvider, error) {
	id, secret := getenv("MERIDIAN_ACCESS_KEY_ID"), getenv("MERIDIAN_SECRET_ACCESS_KEY")
	switch {
	case id != "" && secret != "":
		return credentials.NewStaticCredentialsProvider(id, secret, ""), nil
	case id != "" || secret != "":
		return nil, errors.New("set both MERIDIAN_ACCESS_KEY_ID and MERIDIAN_SECRET_ACCESS_KEY, or neither")
	}
	path := filepath.Join(dataDir, "credentials")
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("reading credentials: %w", err)
	}
	// Read only this file's [default] profile: it names the server's own
	// keys, and must win over AWS_* variables meant for real AWS.
	shared, err := config.LoadSharedConfigProfile(ctx, "default", func(o *config.LoadSharedConfigOptions) {
		o.CredentialsFiles = []string{path}
		o.ConfigFiles = []string{}
	})
	if err != nil {
		return nil, fmt.Errorf("reading credentials file %s: %w", path, err)
	}
	if !shared.Credentials.HasKeys() {
		return nil, fmt.Errorf("credentials file %s: profile [default] has no aws_access_key_id and aws_secret_access_key", path)
	}
	return credentials.StaticCredentialsProvider{Value: shared.Credentials}, nil
}

// Package config reads Meridian's declarative configuration file (YAML).
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"gopkg.in/yaml.v3"
)

// Credential is one access key the APIs accept.
type Credential struct {
	AccessKeyID     string `yaml:"access_key_id"`
	SecretAccessKey string `yaml:"secret_access_key"`
}

// File is the configuration file passed as `meridian serve --config FILE`.
// Unknown keys are errors, so a typo never silently does nothing.
type File struct {
	// Credentials the Route 53 and Global Accelerator APIs accept. Empty:
	// MERIDIAN_ACCESS_KEY_ID/MERIDIAN_SECRET_ACCESS_KEY, else a key pair
	// generated into the data directory.
	Credentials []Credential `yaml:"credentials"`
	// NameServers are the host names of this deployment's name servers; every
	// new zone's NS record set and delegation set lists them. Empty:
	// Route 53-style generated names.
	NameServers []string `yaml:"nameservers"`
	// Hostmaster is the SOA RNAME of new zones.
	Hostmaster string `yaml:"hostmaster"`
	// Region is this node's region code (also settable with --region).
	Region string `yaml:"region"`
}

// Load reads and validates a configuration file.
func Load(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	f, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return f, nil
}

// Parse decodes and validates configuration text.
func Parse(b []byte) (*File, error) {
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("parse: %w", err)
	}
	for i, c := range f.Credentials {
		if c.AccessKeyID == "" || c.SecretAccessKey == "" {
			return nil, fmt.Errorf("credentials[%d]: access_key_id and secret_access_key are both required", i)
		}
	}
	return &f, nil
}

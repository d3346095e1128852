package auth

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// Credentials maps each accepted access key ID to its secret access key.
type Credentials map[string]string

// Environment variables that supply one access key.
const (
	EnvAccessKeyID     = "MERIDIAN_ACCESS_KEY_ID"
	EnvSecretAccessKey = "MERIDIAN_SECRET_ACCESS_KEY"
)

// CredentialsFileName is the name of the generated shared-credentials file
// inside the data directory.
const CredentialsFileName = "credentials"

// LoadOrCreate returns the credentials the APIs accept. Configured credentials
// (from the config file) win; otherwise the MERIDIAN_ACCESS_KEY_ID and
// MERIDIAN_SECRET_ACCESS_KEY environment variables; otherwise the [default]
// profile of <dataDir>/credentials, an AWS shared-credentials file that is
// generated with a fresh random key on first start. The returned path is that
// file's, or "" when the credentials came from elsewhere.
func LoadOrCreate(dataDir string, configured Credentials, logger *slog.Logger) (Credentials, string, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if len(configured) > 0 {
		for id, secret := range configured {
			if id == "" || secret == "" {
				return nil, "", errors.New("configured credentials: access key ID and secret access key must both be non-empty")
			}
		}
		logger.Info("API credentials from the configuration file", "access_keys", len(configured))
		return configured, "", nil
	}
	id, secret := os.Getenv(EnvAccessKeyID), os.Getenv(EnvSecretAccessKey)
	switch {
	case id != "" && secret != "":
		logger.Info("API credentials from the environment", "access_key_id", id)
		return Credentials{id: secret}, "", nil
	case id != "" || secret != "":
		return nil, "", fmt.Errorf("credentials: set both %s and %s, or neither", EnvAccessKeyID, EnvSecretAccessKey)
	}

	path := filepath.Join(dataDir, CredentialsFileName)
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		id, secret, err := parseSharedCredentials(data, "default")
		if err != nil {
			return nil, "", fmt.Errorf("credentials file %s: %w", path, err)
		}
		logHowToUse(logger, "API credentials from file", path, id)
		return Credentials{id: secret}, path, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, "", fmt.Errorf("read credentials file: %w", err)
	}

	id, secret, err = generateKey()
	if err != nil {
		return nil, "", err
	}
	if err := writeSharedCredentials(dataDir, path, id, secret); err != nil {
		return nil, "", err
	}
	logHowToUse(logger, "generated API credentials", path, id)
	return Credentials{id: secret}, path, nil
}

func logHowToUse(logger *slog.Logger, msg, path, id string) {
	logger.Info(msg, "file", path, "access_key_id", id,
		"usage", "AWS_SHARED_CREDENTIALS_FILE="+path+" aws --endpoint-url http://<api address> route53 list-hosted-zones")
}

// Key shapes: AKIA-style 20-character IDs and 40-character secrets.
const (
	keyIDAlphabet  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	secretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

func generateKey() (id, secret string, err error) {
	rest, err := randomString(keyIDAlphabet, 16)
	if err != nil {
		return "", "", err
	}
	secret, err = randomString(secretAlphabet, 40)
	if err != nil {
		return "", "", err
	}
	return "AKIA" + rest, secret, nil
}

// randomString returns n characters drawn uniformly from alphabet (whose
// length divides 256) using crypto/rand.
func randomString(alphabet string, n int) (string, error) {
	buf := make([]byte, n)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("generate credentials: %w", err)
	}
	for i, b := range buf {
		buf[i] = alphabet[int(b)%len(alphabet)]
	}
	return string(buf), nil
}

// writeSharedCredentials creates the credentials file with mode 0600. It
// refuses to overwrite a file that appeared meanwhile.
func writeSharedCredentials(dataDir, path, id, secret string) error {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return fmt.Errorf("create data dir: %w", err)
	}
	content := fmt.Sprintf("# Meridian API credentials, generated on first start.\n"+
		"# Use with: AWS_SHARED_CREDENTIALS_FILE=%s aws --endpoint-url http://<api address> route53 list-hosted-zones\n"+
		"[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", path, id, secret)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("create credentials file: %w", err)
	}
	if _, err := f.WriteString(content); err != nil {
		_ = f.Close()
		_ = os.Remove(path)
		return fmt.Errorf("write credentials file: %w", err)
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		_ = os.Remove(path)
		return fmt.Errorf("sync credentials file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close credentials file: %w", err)
	}
	return nil
}

// parseSharedCredentials reads one profile of an AWS shared-credentials
// (INI) file and returns its access key ID and secret.
func parseSharedCredentials(data []byte, profile string) (id, secret string, err error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	section := ""
	found := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			section = strings.TrimSpace(line[1 : len(line)-1])
			section = strings.TrimSpace(strings.TrimPrefix(section, "profile "))
			if section == profile {
				found = true
			}
			continue
		}
		if section != profile {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "aws_access_key_id":
			id = strings.TrimSpace(v)
		case "aws_secret_access_key":
			secret = strings.TrimSpace(v)
		}
	}
	if err := sc.Err(); err != nil {
		return "", "", fmt.Errorf("parse: %w", err)
	}
	if !found {
		return "", "", fmt.Errorf("no [%s] profile", profile)
	}
	if id == "" || secret == "" {
		return "", "", fmt.Errorf("profile [%s] needs aws_access_key_id and aws_secret_access_key", profile)
	}
	return id, secret, nil
}

package control

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/meridian-gtm/meridian/internal/globalaccel"
	"github.com/meridian-gtm/meridian/internal/store"
)

// prefixAccelTokens indexes idempotency tokens per operation:
// prefixAccelTokens + "<operation>/" + escaped token → accelTokenRecord.
const prefixAccelTokens = "idempotency/globalaccelerator/"

// Idempotent operations, as token keys and error messages name them.
const (
	opCreateAccelerator   = "CreateAccelerator"
	opCreateListener      = "CreateListener"
	opCreateEndpointGroup = "CreateEndpointGroup"
)

func accelTokenKey(op, token string) string {
	return prefixAccelTokens + op + "/" + url.PathEscape(token)
}

// accelTokenRecord remembers which resource a token created and a
// fingerprint of the request's parameters.
type accelTokenRecord struct {
	ARN         string `json:"arn"`
	Fingerprint string `json:"fingerprint"`
}

// fingerprint is a digest of an idempotent request's parameters.
func fingerprint(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("fingerprint request: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// checkToken looks a token up: it returns the ARN of the resource the same
// request created before, "" when the token is new, or TokenReused.
func checkToken(tx store.ReadTx, op, token, fp string) (string, error) {
	var rec accelTokenRecord
	found, err := getJSON(tx, accelTokenKey(op, token), &rec)
	if err != nil || !found {
		return "", err
	}
	if rec.Fingerprint != fp {
		return "", globalaccel.TokenReused(token, op)
	}
	return rec.ARN, nil
}

// putToken records that a request with fingerprint fp created arn.
func putToken(tx store.Tx, op, token, arn, fp string) error {
	return putJSON(tx, accelTokenKey(op, token), accelTokenRecord{ARN: arn, Fingerprint: fp})
}

// deleteToken removes a token's record when it still names arn.
func deleteToken(tx store.Tx, op, token, arn string) error {
	if token == "" {
		return nil
	}
	var rec accelTokenRecord
	found, err := getJSON(tx, accelTokenKey(op, token), &rec)
	if err != nil || !found || rec.ARN != arn {
		return err
	}
	return tx.Delete(accelTokenKey(op, token))
}

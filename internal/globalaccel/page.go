package globalaccel

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"
)

// Page sizes of the List operations (spec 5.2): MaxResults is 1–100 and
// defaults to 10.
const (
	DefaultMaxResults = 10
	MaxMaxResults     = 100
)

// PageSize checks a request's MaxResults; nil is the default.
func PageSize(maxResults *int) (int, error) {
	if maxResults == nil {
		return DefaultMaxResults, nil
	}
	if *maxResults < 1 || *maxResults > MaxMaxResults {
		return 0, InvalidArgument("MaxResults %d is not valid: it must be between 1 and %d.", *maxResults, MaxMaxResults)
	}
	return *maxResults, nil
}

// SortKey orders resources in List responses: by creation time, then ARN.
func SortKey(created time.Time, arn string) string {
	return fmt.Sprintf("%020d %s", created.UnixNano(), arn)
}

const tokenPrefix = "ga1 "

// Paginate returns the page of items (sorted by key) that follows the
// position token names, at most max long, and the token of the next page
// ("" after the last). A token names the last item of the page before it,
// so deleting that item does not invalidate the token.
func Paginate[T any](items []T, key func(*T) string, max int, token string) ([]T, string, error) {
	if max <= 0 {
		max = DefaultMaxResults
	}
	start := 0
	if token != "" {
		after, err := decodeToken(token)
		if err != nil {
			return nil, "", err
		}
		for start < len(items) && key(&items[start]) <= after {
			start++
		}
	}
	end := min(start+max, len(items))
	page := items[start:end]
	next := ""
	if end < len(items) {
		next = encodeToken(key(&items[end-1]))
	}
	return page, next, nil
}

func encodeToken(key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(tokenPrefix + key))
}

func decodeToken(token string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(token) > 255 {
		return "", InvalidNextToken()
	}
	key, ok := strings.CutPrefix(string(b), tokenPrefix)
	if !ok {
		return "", InvalidNextToken()
	}
	return key, nil
}

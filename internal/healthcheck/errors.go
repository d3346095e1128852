package healthcheck

import (
	"fmt"
	"strings"

	"github.com/meridian-gtm/meridian/internal/zone"
)

// The messages below follow the two forms Route 53 answers health-check
// requests with: AWS's generic model-constraint wording ("1 validation error
// detected: …") for a value outside its shape's limits, and Route 53's own
// "Invalid parameter : …" sentences for the rules between fields, e.g. the
// observed "Invalid parameter : Basic health checks must not have an metric
// region specified." and "Invalid parameter : Calculated health checks must
// have a health threshold specified.".

// constraint returns AWS's model-constraint error for value at member.
func constraint(value, member, rule string) *zone.Error {
	return zone.InvalidInput(fmt.Sprintf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, member, rule))
}

// missing returns AWS's model-constraint error for a required member.
func missing(member string) *zone.Error {
	return zone.InvalidInput(fmt.Sprintf("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member))
}

func tooBig(v int64, member string, max int64) *zone.Error {
	return constraint(fmt.Sprint(v), member, fmt.Sprintf("Member must have value less than or equal to %d", max))
}

func tooSmall(v int64, member string, min int64) *zone.Error {
	return constraint(fmt.Sprint(v), member, fmt.Sprintf("Member must have value greater than or equal to %d", min))
}

func tooLong(v, member string, max int) *zone.Error {
	return constraint(v, member, fmt.Sprintf("Member must have length less than or equal to %d", max))
}

func notInEnum(v, member string, allowed []string) *zone.Error {
	return constraint(v, member, "Member must satisfy enum value set: ["+strings.Join(allowed, ", ")+"]")
}

// listValue renders a list as AWS prints it inside "Value '…'".
func listValue(items []string) string { return "[" + strings.Join(items, ", ") + "]" }

// invalidParam returns Route 53's "Invalid parameter : …" InvalidInput.
func invalidParam(format string, args ...any) *zone.Error {
	return zone.InvalidInput("Invalid parameter : " + fmt.Sprintf(format, args...))
}

// kindOf names a type's family as Route 53's messages do.
func kindOf(typ string) string {
	switch typ {
	case TypeCalculated:
		return "Calculated"
	case TypeCloudWatchMetric:
		return "Metric"
	}
	return "Basic"
}

func mustNotHave(typ, what string) *zone.Error {
	return invalidParam("%s health checks must not have %s specified.", kindOf(typ), what)
}

func mustHave(kind, what string) *zone.Error {
	return invalidParam("%s health checks must have %s specified.", kind, what)
}

// VersionMismatch is the error of an UpdateHealthCheck whose
// HealthCheckVersion is not the stored one.
func VersionMismatch() *zone.Error {
	return zone.NewError("HealthCheckVersionMismatch",
		"The value of HealthCheckVersion in the request doesn't match the value of HealthCheckVersion in the health check.")
}

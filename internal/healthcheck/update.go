package healthcheck

import "fmt"

// Resettable element names (UpdateHealthCheck ResetElements).
const (
	ResetFQDN              = "FullyQualifiedDomainName"
	ResetRegions           = "Regions"
	ResetResourcePath      = "ResourcePath"
	ResetChildHealthChecks = "ChildHealthChecks"
)

var resettable = []string{ResetFQDN, ResetRegions, ResetResourcePath, ResetChildHealthChecks}

// maxResetElements is the model's limit on ResetElements.
const maxResetElements = 64

// ApplyUpdate applies an UpdateHealthCheck request to hc: it checks
// HealthCheckVersion, resets the ResetElements, sets the members the request
// carries, fills defaults, validates the result as Validate does (children
// looked up with opts.Lookup) and increments the version. On error hc is
// unchanged.
//
// Version rule: a HealthCheckVersion other than the stored one fails with
// HealthCheckVersionMismatch. Route 53 documents the case of a stored
// version greater than the request's (an intervening update); a request
// naming a version that does not exist yet is refused the same way, as
// optimistic locking requires.
//
// Type, RequestInterval and MeasureLatency cannot change: an Update has no
// members for them, as UpdateHealthCheckRequest has none. IPAddress can be
// changed but neither added to a check without one nor removed.
func ApplyUpdate(hc *HealthCheck, u Update, opts Options) error {
	if v := u.HealthCheckVersion; v != nil {
		if *v < 1 {
			return tooSmall(*v, "healthCheckVersion", 1)
		}
		if *v != hc.Version {
			return VersionMismatch()
		}
	}
	if err := checkResets(u); err != nil {
		return err
	}
	if u.IPAddress != nil {
		switch {
		case hc.Config.IPAddress == "" && *u.IPAddress != "":
			return invalidParam("An IP address can't be added to a health check that was created without one.")
		case hc.Config.IPAddress != "" && *u.IPAddress == "":
			return invalidParam("The IP address of a health check can be changed but not removed.")
		}
	}
	c := cloneConfig(hc.Config)
	for _, r := range u.ResetElements {
		switch r {
		case ResetFQDN:
			c.FullyQualifiedDomainName = ""
		case ResetRegions:
			c.Regions = nil
		case ResetResourcePath:
			c.ResourcePath = ""
		case ResetChildHealthChecks:
			c.ChildHealthChecks = nil
		}
	}
	setString(&c.IPAddress, u.IPAddress)
	setString(&c.ResourcePath, u.ResourcePath)
	setString(&c.FullyQualifiedDomainName, u.FullyQualifiedDomainName)
	setString(&c.SearchString, u.SearchString)
	setString(&c.InsufficientDataHealthStatus, u.InsufficientDataHealthStatus)
	setPtr(&c.Port, u.Port)
	setPtr(&c.FailureThreshold, u.FailureThreshold)
	setPtr(&c.Inverted, u.Inverted)
	setPtr(&c.Disabled, u.Disabled)
	setPtr(&c.HealthThreshold, u.HealthThreshold)
	setPtr(&c.EnableSNI, u.EnableSNI)
	if u.ChildHealthChecks != nil {
		c.ChildHealthChecks = append([]string(nil), u.ChildHealthChecks...)
	}
	if u.Regions != nil {
		c.Regions = append([]string{}, u.Regions...)
	}
	if u.AlarmIdentifier != nil {
		a := *u.AlarmIdentifier
		c.AlarmIdentifier = &a
	}
	Defaults(&c)
	if err := validate(&c, opts, ""); err != nil {
		return err
	}
	if len(c.ChildHealthChecks) == 0 {
		c.ChildHealthChecks = nil
	}
	hc.Config = c
	hc.Version++
	return nil
}

// checkResets checks ResetElements: known names, within the model's limit,
// and none that the same request also sets.
func checkResets(u Update) error {
	if len(u.ResetElements) > maxResetElements {
		return constraint(listValue(u.ResetElements), "resetElements",
			fmt.Sprintf("Member must have length less than or equal to %d", maxResetElements))
	}
	for _, r := range u.ResetElements {
		if !contains(resettable, r) {
			return notInEnum(r, "resetElements.member", resettable)
		}
		set := false
		switch r {
		case ResetFQDN:
			set = u.FullyQualifiedDomainName != nil
		case ResetRegions:
			set = u.Regions != nil
		case ResetResourcePath:
			set = u.ResourcePath != nil
		case ResetChildHealthChecks:
			set = u.ChildHealthChecks != nil
		}
		if set {
			return invalidParam("%s can't be both set and reset in the same request.", r)
		}
	}
	return nil
}

func setString(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

func setPtr[T any](dst **T, v *T) {
	if v != nil {
		x := *v
		*dst = &x
	}
}

// cloneConfig returns a deep copy of c.
func cloneConfig(c Config) Config {
	out := c
	out.Port = clonePtr(c.Port)
	out.RequestInterval = clonePtr(c.RequestInterval)
	out.FailureThreshold = clonePtr(c.FailureThreshold)
	out.MeasureLatency = clonePtr(c.MeasureLatency)
	out.Inverted = clonePtr(c.Inverted)
	out.Disabled = clonePtr(c.Disabled)
	out.HealthThreshold = clonePtr(c.HealthThreshold)
	out.EnableSNI = clonePtr(c.EnableSNI)
	if c.ChildHealthChecks != nil {
		out.ChildHealthChecks = append([]string(nil), c.ChildHealthChecks...)
	}
	if c.Regions != nil {
		out.Regions = append([]string(nil), c.Regions...)
	}
	if c.AlarmIdentifier != nil {
		a := *c.AlarmIdentifier
		out.AlarmIdentifier = &a
	}
	return out
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

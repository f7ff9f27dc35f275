# Organization settings the policies share. Change them here (and in the tests).
package gatehouse.config

# Image references must start with one of these (registry host, optionally a path).
allowed_registries := {"registry.example.com", "ghcr.io/example-org"}

# Branches production may be deployed from (glob patterns, `/` separated).
protected_branches := {"main", "release/*"}

# Write permissions a job may hold without a warning.
routine_write_permissions := {"id-token", "packages", "pull-requests", "checks"}

# Sandboxes.
sandbox_max_ttl_hours := 168

sandbox_warn_ttl_hours := 72

sandbox_large_max_ttl_hours := 72

# Kubernetes namespaces no template may write to.
system_namespaces := {"kube-system", "kube-public", "kube-node-lease", "gatehouse", "cert-manager", "istio-system"}

# Namespaces that serve production traffic: a manifest in one is a production change.
production_namespaces := {"payments", "checkout", "identity", "ledger"}

# Cloud accounts that hold production: assuming a role in one is a production change.
production_aws_accounts := {"210987654321", "345678901234"}

"""Who may reach the core app's probes (merged into the project's role matrix by the accounts tests).

The health and readiness probes are for load balancers and supervisors: anyone may ask, and they
answer JSON that names each service's state but reveals no configuration.
"""

from __future__ import annotations

from tests.accounts.role_matrix import EVERYONE, Rule

MATRIX = {
    "core:healthz": Rule(EVERYONE),
    "core:readyz": Rule(EVERYONE),
}

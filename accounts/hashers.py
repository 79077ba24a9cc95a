"""The password hasher: Argon2id at OWASP's minimum parameters.

Django's Argon2PasswordHasher uses 100 MiB and 8 lanes: 0.39 s of CPU per hash, which
lets a 2-core machine take about five sign-ups or log-ins per second while every page
waits. OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane) costs a tenth of that.

The algorithm name stays "argon2", so hashes made with other parameters are still
verified here, and Django rehashes them with these at the next successful log-in
(`must_update` compares the parameters).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class OWASPArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

# One database per service, owned by that service's role, the only role that may connect to it (SECURITY.md "Least
# privilege"; the names scripts/stack.sh makes locally). Sourced once by PostgreSQL's entrypoint on an empty data
# directory (docker-compose.yml and the local overlay; the official image and peftflow/postgres:*-debian both source
# *.sh), with PEFTFLOW_PG_<SERVICE>_PASSWORD set from the generated secrets. POSTGRES_USER stays the administrator,
# which no service logs in as.
for service in dataset trainer registry gateway; do
  password_var=PEFTFLOW_PG_${service^^}_PASSWORD
  psql -v ON_ERROR_STOP=1 -h /var/run/postgresql -U "$POSTGRES_USER" -d postgres -v role="peftflow_$service" \
    -v db="$service" -v password="${!password_var:?$password_var is not set}" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"role";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
SQL
done

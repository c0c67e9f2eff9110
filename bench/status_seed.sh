# The status page both status benchmarks serve: grouped services, an
# active incident with a timeline, resolved ones. Sourced; needs $kurl
# (Kodo's base URL) and $token (an owner token).
post() { curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$2" "$kurl$1"; }
id_of() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(next(iter(d.values()))["id"])'; }
for s in "API:Core" "Web app:Core" "Database:Core" "Search:Core" "Webhooks:Integrations" \
	"Email delivery:Integrations" "Slack app:Integrations" "Dashboard:" "Mobile push:" "CDN:"; do
	name=${s%%:*}
	group=${s#*:}
	if [ -n "$group" ]; then
		post /api/v1/services "{\"name\":\"$name\",\"group\":\"$group\",\"description\":\"The $name\"}" >/dev/null
	else
		post /api/v1/services "{\"name\":\"$name\"}" >/dev/null
	fi
done
for i in 1 2 3 4 5; do
	id=$(post /api/v1/incidents "{\"title\":\"Resolved incident $i\",\"severity\":\"minor\",\"services\":[\"Search\"],\"message\":\"We are looking into *slow searches*.\"}" | id_of)
	post "/api/v1/incidents/$id/updates" '{"status":"identified","message":"A slow query; a fix is rolling out."}' >/dev/null
	post "/api/v1/incidents/$id/updates" '{"status":"resolved","message":"Search latency is back to normal."}' >/dev/null
done
id=$(post /api/v1/incidents '{"title":"Elevated API error rates","severity":"major","services":["API","Webhooks"],"message":"We are investigating elevated 5xx rates on the API."}' | id_of)
post "/api/v1/incidents/$id/updates" '{"status":"identified","message":"A bad deploy of the API gateway; rolling back. See [the changelog](https://example.com/changelog)."}' >/dev/null
post "/api/v1/incidents/$id/updates" '{"status":"monitoring","message":"Rolled back. Error rates are dropping:\n\n- EU: normal\n- US: recovering"}' >/dev/null

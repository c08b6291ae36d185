-- soak.lua - a wrk script mixing visitors: undecided, accepted, rejected, GPC, and pages of
-- every kind (HTML with banner, CSS, a response setting cookies, the consent endpoint).
-- The consent values come from the environment (soak.sh fetches real ones first).

local accepted = os.getenv("CC_ACCEPTED") or ""
local rejected = os.getenv("CC_REJECTED") or ""

local plans = {
    {path = "/page.html", headers = {}},
    {path = "/page.html", headers = {Cookie = accepted .. "; _pk_id.1.ab=1; csrftoken=x"}},
    {path = "/page.html", headers = {Cookie = rejected .. "; _pk_id.1.ab=1"}},
    {path = "/page.html", headers = {["Sec-GPC"] = "1", Cookie = "_pk_ses.1.ab=1"}},
    {path = "/style.css", headers = {Cookie = "_pk_id.1.ab=1"}},
    {path = "/cookies.txt", headers = {}},
    {path = "/cookies.txt", headers = {Cookie = accepted}},
    {path = "/cookieconsent/settings?return=%2Fpage.html", headers = {Cookie = rejected .. "; tracker=1"}},
    {path = "/cookieconsent/state", headers = {Cookie = accepted}},
    {path = "/cookieconsent/policy?lang=fr", headers = {}},
}

local counter = 0

request = function()
    counter = counter + 1
    if counter % 25 == 0 then
        -- A consent POST now and then (same-origin, no Origin header).
        return wrk.format("POST", "/cookieconsent/consent",
            {["Content-Type"] = "application/x-www-form-urlencoded",
             Cookie = "_pk_id.1.ab=1"}, "action=reject-all&return=%2Fpage.html")
    end
    local plan = plans[(counter % #plans) + 1]
    return wrk.format("GET", plan.path, plan.headers)
end

done = function(summary, latency, requests)
    io.write(string.format("soak: requests=%d errors_connect=%d errors_read=%d errors_write=%d " ..
        "errors_status=%d errors_timeout=%d\n", summary.requests, summary.errors.connect,
        summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
end

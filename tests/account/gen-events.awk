# gen-events.awk: writes the partners and events of crash_account.tap: n events
# over two years with sales, about 2 % redemptions and 3 % full or partial
# refunds of earlier sales.  Usage: awk -v n=50000 -v seed=11 -v partners=FILE -f gen-events.awk > events.csv
# t seconds after 1970 as ISO 8601 in UTC (civil from days, without strftime)
function stamp(t,   d, s, z, era, doe, yoe, y, doy, mp, dd, m) {
  d = int(t / 86400); s = t - d * 86400
  z = d + 719468; era = int(z / 146097); doe = z - era * 146097
  yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
  y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
  mp = int((5 * doy + 2) / 153); dd = doy - int((153 * mp + 2) / 5) + 1
  m = mp < 10 ? mp + 3 : mp - 9; if (m <= 2) y++
  return sprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, dd, int(s / 3600), int(s % 3600 / 60), s % 60)
}
BEGIN {
  srand(seed)
  np = 400
  print "id,name,language,country,tier" > partners
  for (p = 1; p <= np; p++) printf "p%d,Partner %d,en,US,\n", p, p > partners
  close(partners)
  print "id,type,partner,time,amount,cost,reward,original,part"
  start = 1798761600  # 2027-01-01T00:00:00Z
  span = 730 * 86400
  nsales = 0
  for (i = 1; i <= n; i++) {
    t = start + int(span * (i - 1) / n) + int(rand() * 600)
    day = stamp(t)
    r = rand()
    p = "p" (1 + int(rand() * np))
    if (r < 0.02) {
      printf "r%d,redeem,%s,%s,,%d,Reward %d,,\n", i, p, day, 50 + int(rand() * 1500), int(rand() * 9)
    } else if (r < 0.05 && nsales > 0) {
      k = 1 + int(rand() * nsales)
      if (rand() < 0.5) printf "f%d,refund,%s,%s,,,,%s,\n", i, who[k], day, sale[k]
      else printf "q%d,partial,%s,%s,,,,%s,0.%02d\n", i, who[k], day, sale[k], 1 + int(rand() * 99)
    } else {
      printf "s%d,sale,%s,%s,%d.%02d,,,,\n", i, p, day, 1 + int(rand() * 900), int(rand() * 100)
      sale[++nsales] = "s" i
      who[nsales] = p
    }
  }
}

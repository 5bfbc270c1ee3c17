/* gen.c: a deterministic generator of partners and mixed events for the
 * example program examples/partner-rewards (fixed seed: the same arguments
 * always give the same files).
 *
 *   incent-gen PARTNERS EVENTS SEED PARTNERS.csv EVENTS.csv [account]
 *
 * With `account`, about 2 % of the events are redemptions (redeem: reward,
 * cost) and 3 % refunds (refund: original, amount) of one of the last 65,536
 * sales, half of them partial; without it, only earning events, as before
 * the points account. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state;

/* splitmix64: small, fast and the same on every machine */
static uint64_t next(void) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

static uint32_t below(uint32_t n) { return (uint32_t)(next() % n); }

int main(int argc, char **argv) {
  if (argc != 6 && !(argc == 7 && strcmp(argv[6], "account") == 0)) {
    fprintf(stderr, "usage: incent-gen PARTNERS EVENTS SEED PARTNERS.csv EVENTS.csv [account]\n");
    return 2;
  }
  bool account = argc == 7;
  /* the last sales, for refunds: their index and amount in cents */
  enum { RECENT = 65536 };
  static long sale_id[RECENT], sale_who[RECENT];
  static uint32_t sale_cents[RECENT];
  long nsales = 0;
  long npartners = atol(argv[1]), nevents = atol(argv[2]);
  state = strtoull(argv[3], NULL, 10);
  FILE *p = fopen(argv[4], "w"), *e = fopen(argv[5], "w");
  if (!p || !e || npartners < 1) {
    fprintf(stderr, "incent-gen: cannot write the files\n");
    return 2;
  }
  static const char *const types[] = {"dealer", "distributor", "reseller", "contractor", "rep"};
  static const char *const regions[] = {"americas", "emea", "apac"};
  static const char *const langs[] = {"en", "de", "fr", "es", "it", "pt_BR", "nl", "pl", "ru", "ja", "zh_CN", "ko"};
  static const char *const countries[] = {"US", "DE", "FR", "ES", "IT", "BR", "NL", "PL", "RU", "JP", "CN", "KR"};
  static const char *const products[] = {"Router X", "Switch S", "Access Point A", "Firewall F"};
  static const char *const networks[] = {"linkedin", "twitter", "facebook", "xing"};
  fprintf(p, "id,name,language,country,tier,type,region,certified\n");
  for (long i = 0; i < npartners; i++) {
    uint32_t l = below(12);
    fprintf(p, "p%06ld,Partner %ld,%s,%s,,%s,%s,%s\n", i, i, langs[l], countries[l], types[below(5)],
            regions[below(3)], below(2) ? "true" : "false");
  }
  fprintf(e, "id,type,partner,time,amount,product,units,network,origin,accepted,survey,course,score,asset%s\n",
          account ? ",reward,cost,original" : "");
  const char *tail = account ? ",,," : "";
  const int64_t start = 1798761600; /* 2027-01-01T00:00:00Z */
  for (long i = 0; i < nevents; i++) {
    /* times rise through the year, as activity arrives */
    int64_t t = start + (int64_t)((double)i / (double)nevents * 364.0 * 86400.0) + below(3600);
    int64_t days = t / 86400, secs = t % 86400;
    /* civil date from days since the epoch */
    int64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    char when[96];
    snprintf(when, sizeof when, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", (long long)y, (long long)m,
             (long long)d, (long long)(secs / 3600), (long long)(secs / 60 % 60), (long long)(secs % 60));
    long who = (long)below((uint32_t)npartners);
    uint32_t kind = below(100);
    if (account && kind >= 95) { /* instead of the downloads: the account's events */
      uint32_t k = below(5);
      if (k < 2 || nsales == 0) {
        fprintf(e, "e%08ld,redeem,p%06ld,%s,,,,,,,,,,,reward %u,%u,\n", i, who, when, below(40), 100 * (1 + below(30)));
      } else {
        uint32_t at = below((uint32_t)(nsales < RECENT ? nsales : RECENT)), cents = sale_cents[at];
        if (below(2)) cents = cents / (2 + below(4)); /* a partial refund */
        fprintf(e, "e%08ld,refund,p%06ld,%s,%u.%02u,,,,,,,,,,,,e%08ld\n", i, sale_who[at], when, cents / 100,
                cents % 100, sale_id[at]);
      }
      continue;
    }
    if (kind < 45) {
      /* drawn in the order the generator always drew them, so that the files stay as they were */
      uint32_t units = 1 + below(20), product = below(4), cents = below(100), whole = 50 + below(20000);
      fprintf(e, "e%08ld,sale,p%06ld,%s,%u.%02u,%s,%u,,,,,,,%s\n", i, who, when, whole, cents, products[product], units,
              tail);
      sale_id[nsales % RECENT] = i;
      sale_who[nsales % RECENT] = who;
      sale_cents[nsales % RECENT] = whole * 100 + cents;
      nsales++;
    } else if (kind < 65)
      fprintf(e, "e%08ld,share,p%06ld,%s,,,,%s,%s,,,,,%s\n", i, who, when, networks[below(4)],
              below(3) ? "" : "p000001", tail);
    else if (kind < 80)
      fprintf(e, "e%08ld,forum_answer,p%06ld,%s,,,,,,%s,,,,%s\n", i, who, when, below(3) ? "false" : "true", tail);
    else if (kind < 88)
      fprintf(e, "e%08ld,survey,p%06ld,%s,,,,,,,q%u,,,%s\n", i, who, when, below(12), tail);
    else if (kind < 95)
      fprintf(e, "e%08ld,training,p%06ld,%s,,,,,,,,course %u,%u,%s\n", i, who, when, below(30), 40 + below(61), tail);
    else
      fprintf(e, "e%08ld,download,p%06ld,%s,,,,,,,,,,brochure-%u.pdf%s\n", i, who, when, below(50), tail);
  }
  fclose(p);
  return fclose(e) == 0 ? 0 : 2;
}

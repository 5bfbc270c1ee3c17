/* gen.c: a deterministic generator of partners and mixed events for the
 * example program examples/partner-rewards (fixed seed: the same arguments
 * always give the same files).
 *
 *   incent-gen PARTNERS EVENTS SEED PARTNERS.csv EVENTS.csv */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

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
  if (argc != 6) {
    fprintf(stderr, "usage: incent-gen PARTNERS EVENTS SEED PARTNERS.csv EVENTS.csv\n");
    return 2;
  }
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
  fprintf(e, "id,type,partner,time,amount,product,units,network,origin,accepted,survey,course,score,asset\n");
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
    if (kind < 45)
      fprintf(e, "e%08ld,sale,p%06ld,%s,%u.%02u,%s,%u,,,,,,,\n", i, who, when, 50 + below(20000), below(100),
              products[below(4)], 1 + below(20));
    else if (kind < 65)
      fprintf(e, "e%08ld,share,p%06ld,%s,,,,%s,%s,,,,,\n", i, who, when, networks[below(4)],
              below(3) ? "" : "p000001");
    else if (kind < 80)
      fprintf(e, "e%08ld,forum_answer,p%06ld,%s,,,,,,%s,,,,\n", i, who, when, below(3) ? "false" : "true");
    else if (kind < 88)
      fprintf(e, "e%08ld,survey,p%06ld,%s,,,,,,,q%u,,,\n", i, who, when, below(12));
    else if (kind < 95)
      fprintf(e, "e%08ld,training,p%06ld,%s,,,,,,,,course %u,%u,\n", i, who, when, below(30), 40 + below(61));
    else
      fprintf(e, "e%08ld,download,p%06ld,%s,,,,,,,,,,brochure-%u.pdf\n", i, who, when, below(50));
  }
  fclose(p);
  return fclose(e) == 0 ? 0 : 2;
}

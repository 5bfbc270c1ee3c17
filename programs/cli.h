/* cli.h: what the subcommands of the incent command share. */
#ifndef INCENT_CLI_H
#define INCENT_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "incent.h"

/* Exit statuses of every subcommand (TOOL.md). */
enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

/* Reads a whole file (or standard input for "-") into a malloc'd buffer with
 * a NUL after the last byte.  On failure prints "incent: FILE: reason" and
 * returns false. */
bool cli_read_file(const char *path, char **data, size_t *len);
/* Writes data to path atomically (a temporary file renamed into place). */
bool cli_write_file(const char *path, const void *data, size_t len);
/* Prints "incent CMD: message" and a pointer to --help on stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_print_version(void);
/* Prints "incent: out of memory" on stderr; returns EXIT_USAGE. */
int cli_out_of_memory(void);
/* Loads PROG, a .incent source or a .irt table; returns an exit status and
 * prints the reason (or the program's diagnostics) when it is not EXIT_OK. */
int cli_load_table(const char *path, incent_table **out);
/* Opens a ledger with its own program, to read it; prints the reason and
 * returns NULL when it cannot (exit status EXIT_USAGE). */
incent_ledger *cli_open_ledger(const char *path);

/* The folder of the tool's own catalogs: INCENT_LOCALEDIR when set (tests,
 * an uninstalled build), else where make install puts them. */
const char *cli_localedir(void);
/* The texts of t's languages for run and statement, from locale_dir, which
 * a program of more than one language needs.  Prints why and returns NULL
 * (exit status EXIT_USAGE) when it is missing, not a folder, or holds a
 * catalog that cannot be read. */
incent_messages *cli_load_messages(const char *cmd, const incent_table *t, const char *locale_dir);
/* Prints on stderr every text that went out in the source language, and why. */
void cli_report_fallbacks(const incent_messages *m);

/* s as a terminal may show it: s itself, or, when it holds a control or a
 * bidi override (a ledger written before such ids were refused), a copy with
 * escapes in one of a few rotating buffers, valid until the fourth call after. */
const char *cli_shown(const char *s);

/* Writes s to standard output as one CSV field (RFC 4180: quoted when it holds a comma, quote or line break). */
void cli_csv_cell(const char *s);

int cmd_check(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_pot(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_balance(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_statement(int argc, char **argv);
int cmd_outbox(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_expire(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_exposure(int argc, char **argv);
int cmd_fmt(int argc, char **argv);

#endif

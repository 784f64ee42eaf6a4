/*
 * dissector_stat_table.c - the plugin's flows table is registered the
 * way Wireshark's GUI finds it.  Loads the built pdmv2.so as Wireshark
 * loads a plugin (dlopen, plugin_register, then epan_init registers its
 * protocol), then looks at what the GUI reads: the statistics tables
 * (stat_tap_iterate_tables, as the GUI and tshark walk them at start),
 * the group that puts an item in the Statistics menu, the columns, a tap
 * that exists, and an init callback that can be called again (the GUI
 * calls it at every retap of a dialog) without a second table.
 *
 * usage: dissector_stat_table PLUGIN_SO
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <epan/epan.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <wiretap/wtap.h>
#include <wsutil/filesystem.h>
#include <wsutil/privileges.h>

#define CLI "pdmv2,flows"

static const char *const want_cols[] = {
	"Flow", "Protocol", "Client", "Server",
	"C2S packets", "C2S decrypted", "C2S lost",
	"S2C packets", "S2C decrypted", "S2C lost",
	"RTT count", "RTT min (us)", "RTT mean (us)", "RTT max (us)",
	"Server delay count", "Server delay min (us)",
	"Server delay mean (us)", "Server delay max (us)",
};
#define NCOLS (sizeof(want_cols) / sizeof(want_cols[0]))

static int failures;

static void
check(int ok, const char *what)
{
	if (!ok) {
		printf("FAIL: %s\n", what);
		failures++;
	}
}

/* wmem_foreach_func returns gboolean in Wireshark 4.0, bool in 4.4:
 * the callback takes whichever its type has. */
typedef __typeof__(((wmem_foreach_func)0)(NULL, NULL, NULL)) foreach_ret;

static foreach_ret
count_ours(const void *key, void *value, void *userdata)
{
	(void)value;
	if (strcmp(key, CLI) == 0)
		(*(int *)userdata)++;
	return false;			/* keep walking */
}

static void
check_columns(const stat_tap_table_ui *ui)
{
	size_t i;
	char what[128];

	check(ui->nfields == NCOLS, "18 columns");
	for (i = 0; i < ui->nfields && i < NCOLS; i++) {
		const stat_tap_table_item *c = &ui->fields[i];
		bool delay = strstr(want_cols[i], "(us)") != NULL;

		snprintf(what, sizeof(what), "column %zu is \"%s\"", i, want_cols[i]);
		check(c->column_name && strcmp(c->column_name, want_cols[i]) == 0, what);
		/* tshark prints a cell with its column's format: the delays
		 * in the analyzer's 17 digits, the rest as integers or text */
		snprintf(what, sizeof(what), "column \"%s\"'s type and format", want_cols[i]);
		if (delay)
			check(c->type == TABLE_ITEM_FLOAT && strcmp(c->field_format, "%.17g") == 0, what);
		else if (i >= 1 && i <= 3)
			check(c->type == TABLE_ITEM_STRING && strcmp(c->field_format, "%s") == 0, what);
		else
			check(c->type == TABLE_ITEM_UINT && strcmp(c->field_format, "%u") == 0, what);
	}
}

int
main(int argc, char **argv)
{
	void *so;
	void (*plugin_register)(void);
	stat_tap_table_ui *ui;
	stat_data_t sd;
	GString *err;
	int seen = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: dissector_stat_table PLUGIN_SO\n");
		return 2;
	}
	if (!(so = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL))) {
		printf("FAIL: %s\n", dlerror());
		return 1;
	}
	*(void **)&plugin_register = dlsym(so, "plugin_register");
	if (!plugin_register) {
		printf("FAIL: no plugin_register in %s\n", argv[1]);
		return 1;
	}
	plugin_register();
	/* as tshark starts; no plugin folders: only the plugin under test */
	init_process_policies();
	g_free(configuration_init(argv[0], NULL));
	wtap_init(FALSE);
	if (!epan_init(NULL, NULL, FALSE)) {
		printf("FAIL: epan_init\n");
		return 1;
	}

	stat_tap_iterate_tables(count_ours, &seen);
	check(seen == 1, "one \"" CLI "\" among the statistics tables");
	ui = stat_tap_by_name(CLI);
	if (!ui) {
		printf("FAIL: stat_tap_by_name(\"%s\")\n", CLI);
		return 1;
	}
	/* the group Wireshark's main window puts in its Statistics menu */
	check(ui->group == REGISTER_PACKET_STAT_GROUP_UNSORTED,
	      "group REGISTER_PACKET_STAT_GROUP_UNSORTED (the Statistics menu)");
	check(ui->title && strcmp(ui->title, "PDMv2 Flows") == 0, "title \"PDMv2 Flows\"");
	check(ui->cli_string && strcmp(ui->cli_string, CLI) == 0, "cli_string");
	check(ui->tap_name && find_tap_id(ui->tap_name) >= 0, "a tap that exists");
	check(ui->stat_tap_init_cb && ui->packet_func && ui->stat_tap_reset_table_cb &&
	      ui->stat_tap_free_table_item_cb, "init, packet, reset and free callbacks");
	check_columns(ui);

	/* As the GUI's dialog does, twice: one table, as wide as the
	 * columns, and a listener on the tap */
	if (ui->stat_tap_init_cb) {
		ui->stat_tap_init_cb(ui);
		ui->stat_tap_init_cb(ui);
		check(ui->tables && ui->tables->len == 1, "one table after two inits");
		if (ui->tables && ui->tables->len == 1)
			check(g_array_index(ui->tables, stat_tap_table *, 0)->num_fields == NCOLS,
			      "the table is as wide as the columns");
		sd.stat_tap_data = ui;
		sd.user_data = NULL;
		err = register_tap_listener(ui->tap_name, &sd, NULL, 0, NULL,
					    ui->packet_func, NULL, NULL);
		check(err == NULL, "a listener on the table's tap");
		if (err)
			g_string_free(err, TRUE);
		else
			remove_tap_listener(&sd);
		if (ui->tables)
			free_stat_tables(ui);
	}

	epan_cleanup();
	printf("%s: %d failures\n", failures ? "FAIL" : "ok", failures);
	return failures ? 1 : 0;
}

/*
 * plugin.c - the Wireshark plugin entry points (epan plugin ABI).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_BUILD_DLL
#include <wireshark.h>
#include <epan/proto.h>
#include <ws_version.h>

#include "packet-pdmv2.h"

/* Wireshark 4.2 added plugin_describe() (wsutil/plugins.h); older ones
 * do not look for it. */
#define PDMV2_WS_AT_LEAST(maj, min) \
	(WIRESHARK_VERSION_MAJOR > (maj) || \
	 (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))
#if PDMV2_WS_AT_LEAST(4, 2)
#include <wsutil/plugins.h>
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = PDMV2_TOOLS_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

#if PDMV2_WS_AT_LEAST(4, 2)
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t
plugin_describe(void)
{
	return WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER;
}
#endif

void
plugin_register(void)
{
	static proto_plugin plug;

	plug.register_protoinfo = proto_register_pdmv2;
	plug.register_handoff = proto_reg_handoff_pdmv2;
	proto_register_plugin(&plug);
}

//! Tests named after RFC 7208's sections, one function per rule or example.

// Small helpers shared by the sections (zones, a poll-once executor).
mod util;

// §2.3, §2.4: the HELO and MAIL FROM identities, checked separately.
mod section_2_identities;
// §4: check_host(): domain validity, record selection, processing limits.
mod section_4_check_host;
// §5: the mechanisms.
mod section_5_mechanisms;
// §6: redirect and exp.
mod section_6_modifiers;
// The trace and the what-if overlay.
mod trace_and_overlay;

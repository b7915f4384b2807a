/* The default target database, generated at build time from abi-db/data/ by
 * aoms-dbgen, embedded in the aoms binary so that a fresh checkout scans offline.
 * abi-db/open.c refers to these symbols weakly: aoms-dbgen links without them. */
	.section .rodata.aoms_default_db, "a"
	.balign 16
	.globl aoms_default_db_start
	.type aoms_default_db_start, @object
aoms_default_db_start:
	.incbin AOMS_DEFAULT_DB_PATH
	.globl aoms_default_db_end
aoms_default_db_end:
	.byte 0
/* The shipped PES events (abi-db/data/pes/, abi-db/pes-tsv.c), text. */
	.section .rodata.aoms_pes_default, "a"
	.globl aoms_pes_default_start
	.type aoms_pes_default_start, @object
aoms_pes_default_start:
	.incbin AOMS_PES_DATA_PATH
	.globl aoms_pes_default_end
aoms_pes_default_end:
	.byte 0
	.section .note.GNU-stack, "", @progbits

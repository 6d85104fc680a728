/*
 * opcode.h -- PyMemLab's bytecode.
 *
 * The instruction set follows CPython 3.11's names and, above all, its stack effects:
 * which references each instruction takes, moves or releases.  That is what makes
 * sys.getrefcount read the same numbers (a value waiting on the stack counts; CALL moves
 * the arguments into a Python callee's frame; LOAD_METHOD pushes [method, self]).
 * Differences from 3.11, none visible to a program:
 *   - one 32-bit word per instruction (opcode in the low byte, argument above it), so there
 *     is no EXTENDED_ARG and no inline cache; jump arguments are absolute instruction
 *     indices;
 *   - exception handlers are a block stack (SETUP_FINALLY / SETUP_CLEANUP / POP_BLOCK)
 *     instead of an exception table; unwinding pops the value stack to the block's level,
 *     releasing exactly the references 3.11's table-driven unwinding releases;
 *   - cells and free variables are set up when the frame starts instead of by MAKE_CELL /
 *     COPY_FREE_VARS instructions (same references held).
 */
#ifndef PM_OPCODE_H
#define PM_OPCODE_H

#define PM_OPCODES(X) \
    X(NOP) X(POP_TOP) X(PUSH_NULL) X(COPY) X(SWAP) \
    X(LOAD_CONST) X(LOAD_FAST) X(STORE_FAST) X(DELETE_FAST) \
    X(LOAD_NAME) X(STORE_NAME) X(DELETE_NAME) \
    X(LOAD_GLOBAL) X(STORE_GLOBAL) X(DELETE_GLOBAL) \
    X(LOAD_DEREF) X(STORE_DEREF) X(DELETE_DEREF) X(LOAD_CLASSDEREF) X(LOAD_CLOSURE) \
    X(LOAD_ATTR) X(STORE_ATTR) X(DELETE_ATTR) X(LOAD_METHOD) \
    X(UNARY_POSITIVE) X(UNARY_NEGATIVE) X(UNARY_NOT) X(UNARY_INVERT) \
    X(BINARY_OP) X(COMPARE_OP) X(IS_OP) X(CONTAINS_OP) \
    X(BINARY_SUBSCR) X(STORE_SUBSCR) X(DELETE_SUBSCR) X(BUILD_SLICE) \
    X(BUILD_TUPLE) X(BUILD_LIST) X(BUILD_SET) X(BUILD_MAP) X(BUILD_CONST_KEY_MAP) \
    X(BUILD_STRING) X(LIST_APPEND) X(SET_ADD) X(MAP_ADD) X(LIST_EXTEND) X(SET_UPDATE) \
    X(DICT_UPDATE) X(DICT_MERGE) X(LIST_TO_TUPLE) X(UNPACK_SEQUENCE) X(UNPACK_EX) \
    X(JUMP) X(POP_JUMP_IF_FALSE) X(POP_JUMP_IF_TRUE) X(POP_JUMP_IF_NONE) \
    X(POP_JUMP_IF_NOT_NONE) X(JUMP_IF_FALSE_OR_POP) X(JUMP_IF_TRUE_OR_POP) \
    X(GET_ITER) X(FOR_ITER) X(RETURN_VALUE) \
    X(KW_NAMES) X(CALL) X(CALL_FUNCTION_EX) X(MAKE_FUNCTION) X(LOAD_BUILD_CLASS) \
    X(SETUP_FINALLY) X(SETUP_CLEANUP) X(POP_BLOCK) X(PUSH_EXC_INFO) X(POP_EXCEPT) \
    X(CHECK_EXC_MATCH) X(RERAISE) X(RAISE_VARARGS) X(LOAD_ASSERTION_ERROR) \
    X(RETURN_GENERATOR) X(YIELD_VALUE) X(GET_YIELD_FROM_ITER) X(SEND) \
    X(FORMAT_VALUE) X(IMPORT_NAME) X(IMPORT_FROM) X(PRINT_EXPR) X(RESUME)

typedef enum PmOpcode {
#define PM_OP_ENUM(name) OP_##name,
    PM_OPCODES(PM_OP_ENUM)
#undef PM_OP_ENUM
    OP__COUNT
} PmOpcode;

extern const char *const pm_opcode_names[OP__COUNT];

/* FORMAT_VALUE argument bits (CPython's). */
enum { PM_FVC_MASK = 3, PM_FVC_NONE = 0, PM_FVC_STR = 1, PM_FVC_REPR = 2, PM_FVC_ASCII = 3,
       PM_FVS_HAVE_SPEC = 4 };
/* MAKE_FUNCTION flags. */
enum { PM_MF_DEFAULTS = 1, PM_MF_KWDEFAULTS = 2, PM_MF_ANNOTATIONS = 4, PM_MF_CLOSURE = 8 };
/* Block types. */
enum { PM_BLOCK_FINALLY = 1, PM_BLOCK_CLEANUP = 2 };

#endif /* PM_OPCODE_H */

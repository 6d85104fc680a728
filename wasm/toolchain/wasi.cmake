# Toolchain for the WASI build: clang --target=wasm32-wasi with Debian's wasi-libc
# (headers in /usr/include/wasm32-wasi, libraries in /usr/lib/wasm32-wasi, found by clang's
# wasm32-wasi driver on its own), compiler-rt builtins from libclang-rt-14-dev-wasm32 and
# wasm-ld from lld-14.  The result is a WASI command: build/wasi/pymemlab.wasm.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR wasm32)
set(PML_TARGET "wasi" CACHE STRING "native | emscripten | wasi" FORCE)

find_program(PML_WASI_CLANG NAMES clang-14 clang REQUIRED)
set(CMAKE_C_COMPILER "${PML_WASI_CLANG}")
set(CMAKE_C_COMPILER_TARGET wasm32-wasi)
set(CMAKE_EXECUTABLE_SUFFIX ".wasm")

# Never pick up the host's headers or libraries.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)

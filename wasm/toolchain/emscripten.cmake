# Toolchain for the Emscripten build (Debian's emscripten 3.1.6 package).
#
# Debian's emcc runs its JavaScript optimizer with node and needs node's module path to find
# acorn in /usr/share/nodejs; Debian's own node has that path built in, NodeSource's node 20
# does not.  So every compile and link goes through `env NODE_PATH=...`.
set(PML_TARGET "emscripten" CACHE STRING "native | emscripten | wasi" FORCE)

if(DEFINED ENV{EMSCRIPTEN_ROOT})
  set(pml_emscripten_root "$ENV{EMSCRIPTEN_ROOT}")
else()
  set(pml_emscripten_root "/usr/share/emscripten")
endif()
set(pml_node_path "/usr/share/nodejs")
if(DEFINED ENV{NODE_PATH})
  set(pml_node_path "$ENV{NODE_PATH}:${pml_node_path}")
endif()
set(ENV{NODE_PATH} "${pml_node_path}")   # for the compiler checks at configure time
set(CMAKE_C_COMPILER_LAUNCHER env "NODE_PATH=${pml_node_path}")
set(CMAKE_C_LINKER_LAUNCHER env "NODE_PATH=${pml_node_path}")

include("${pml_emscripten_root}/cmake/Modules/Platform/Emscripten.cmake")

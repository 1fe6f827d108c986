# find_package(nncc): the nncc compiler as the imported executable
# nncc::nncc, and nncc_add_model() to compile models at build time.
include("${CMAKE_CURRENT_LIST_DIR}/nnccTargets.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/nnccAddModel.cmake")
# The directory of the headers for apps that drive models generically
# (nncc_harness.h).
get_filename_component(NNCC_INCLUDE_DIR
                       "${CMAKE_CURRENT_LIST_DIR}/../../../include/nncc"
                       ABSOLUTE)

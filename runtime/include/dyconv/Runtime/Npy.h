//===- Npy.h - strict float32 .npy reading and writing ----------*- C++ -*-===//
//
// The NumPy .npy format (versions 1.0, 2.0 and 3.0), restricted to what dyconv
// exchanges: little-endian float32 ('<f4') tensors and int64 ('<i8') labels,
// C order. Anything else, a header
// that does not parse, or a payload whose size differs from the shape is an
// error. No LLVM or MLIR dependency: the runtime tools use it too.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_RUNTIME_NPY_H
#define DYCONV_RUNTIME_NPY_H

#include <cstdint>
#include <string>
#include <vector>

namespace dyconv {

/// A float32 array in C order.
struct NpyArray {
  std::vector<int64_t> shape;
  std::vector<float> data;
};

/// Reads `path`; on failure returns false and sets `error` (prefixed with the
/// path).
bool readNpy(const std::string &path, NpyArray &array, std::string &error);

/// Parses an in-memory .npy file named `name` in messages.
bool parseNpy(const std::string &contents, const std::string &name,
              NpyArray &array, std::string &error);

/// Reads a 1-D int64 ('<i8') array of class labels, as NumPy writes them.
bool readNpyLabels(const std::string &path, std::vector<int64_t> &labels,
                   std::string &error);

/// Writes `array` as a version 1.0 .npy file.
bool writeNpy(const std::string &path, const NpyArray &array,
              std::string &error);

} // namespace dyconv

#endif // DYCONV_RUNTIME_NPY_H

//===- Sha256.cpp - SHA-256 (FIPS 180-4) ----------------------------------===//

#include "dyconv/Runtime/Sha256.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace dyconv {
namespace {

constexpr std::array<uint32_t, 64> kRoundConstants = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr size_t kBlockSize = 64;

uint32_t rotateRight(uint32_t value, int bits) {
  return (value >> bits) | (value << (32 - bits));
}

class Sha256 {
public:
  void update(const uint8_t *data, size_t size) {
    length += size;
    while (size > 0) {
      size_t take = std::min(size, kBlockSize - buffered);
      std::copy(data, data + take, block.begin() + buffered);
      buffered += take;
      data += take;
      size -= take;
      if (buffered == kBlockSize) {
        compress();
        buffered = 0;
      }
    }
  }

  std::array<uint8_t, 32> finish() {
    uint64_t bits = length * 8;
    uint8_t pad = 0x80;
    update(&pad, 1);
    pad = 0;
    while (buffered != kBlockSize - 8)
      update(&pad, 1);
    uint8_t encoded[8];
    for (int i = 0; i < 8; ++i)
      encoded[i] = static_cast<uint8_t>(bits >> (56 - 8 * i));
    update(encoded, 8);
    std::array<uint8_t, 32> digest;
    for (int i = 0; i < 32; ++i)
      digest[i] = static_cast<uint8_t>(state[i / 4] >> (24 - 8 * (i % 4)));
    return digest;
  }

private:
  void compress() {
    uint32_t w[64];
    for (int i = 0; i < 16; ++i)
      w[i] = uint32_t(block[4 * i]) << 24 | uint32_t(block[4 * i + 1]) << 16 |
             uint32_t(block[4 * i + 2]) << 8 | uint32_t(block[4 * i + 3]);
    for (int i = 16; i < 64; ++i) {
      uint32_t s0 = rotateRight(w[i - 15], 7) ^ rotateRight(w[i - 15], 18) ^
                    (w[i - 15] >> 3);
      uint32_t s1 = rotateRight(w[i - 2], 17) ^ rotateRight(w[i - 2], 19) ^
                    (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::array<uint32_t, 8> v = state;
    for (int i = 0; i < 64; ++i) {
      uint32_t s1 =
          rotateRight(v[4], 6) ^ rotateRight(v[4], 11) ^ rotateRight(v[4], 25);
      uint32_t choice = (v[4] & v[5]) ^ (~v[4] & v[6]);
      uint32_t t1 = v[7] + s1 + choice + kRoundConstants[i] + w[i];
      uint32_t s0 =
          rotateRight(v[0], 2) ^ rotateRight(v[0], 13) ^ rotateRight(v[0], 22);
      uint32_t majority = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
      std::copy_backward(v.begin(), v.end() - 1, v.end());
      v[4] += t1;
      v[0] = t1 + s0 + majority;
    }
    for (int i = 0; i < 8; ++i)
      state[i] += v[i];
  }

  std::array<uint32_t, 8> state = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                   0xa54ff53a, 0x510e527f, 0x9b05688c,
                                   0x1f83d9ab, 0x5be0cd19};
  std::array<uint8_t, kBlockSize> block{};
  size_t buffered = 0;
  uint64_t length = 0;
};

} // namespace

std::string sha256Hex(const uint8_t *data, size_t size) {
  Sha256 hash;
  hash.update(data, size);
  static const char digits[] = "0123456789abcdef";
  std::string text;
  for (uint8_t byte : hash.finish()) {
    text += digits[byte >> 4];
    text += digits[byte & 15];
  }
  return text;
}

bool isSha256Hex(const std::string &text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c));
         });
}

} // namespace dyconv

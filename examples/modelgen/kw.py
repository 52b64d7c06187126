"""KernelWarehouse Warehouse_Manager arithmetic (spec §2.2-2.4), reproduced
literally: warehouse names fused by `sharing_range` (a string iterates by
character, as in the shipped configs), gcd of Cout and Cin/g per warehouse,
int() truncation of the ratios, M = int(sum n * cnr), and cell allocation in
`network.modules()` registration order (not construction order)."""

import math


def _per_warehouse(value, count):
    if isinstance(value, (list, tuple)):
        if len(value) == 1:
            return list(value) * count
        if len(value) != count:
            raise ValueError("per-warehouse list must have 1 or %d entries" % count)
        return list(value)
    return [value] * count


class WarehouseManager:
    def __init__(self, reduction=0.0625, cell_num_ratio=1, cell_inplane_ratio=1,
                 cell_outplane_ratio=1, sharing_range=(), nonlocal_basis_ratio=1.0):
        self.reduction = reduction
        self.cell_num_ratio = cell_num_ratio
        self.cell_inplane_ratio = cell_inplane_ratio
        self.cell_outplane_ratio = cell_outplane_ratio
        self.sharing_range = sharing_range
        self.nonlocal_basis_ratio = nonlocal_basis_ratio
        self.names = []          # warehouse names in first-reservation order
        self.layers = []         # KW layers in reservation (construction) order
        self.warehouses = None   # after store()

    # -------------------------------------------------------------- reserve
    def fuse_warehouse_name(self, name):
        fused = []
        for token in name.split("_"):
            match = token
            for sharing in self.sharing_range:  # a str iterates by character
                if match.startswith(sharing):
                    match = sharing
            fused.append(match)
        return "_".join(fused)

    def reserve(self, prefix, cin, cout, kernel_size, stride=1, padding=0, groups=1,
                bias=False, warehouse_name="default", enabled=True):
        """Returns the KW layer record, or None for a static conv (enabled=False)."""
        if not enabled:
            return None
        fused = self.fuse_warehouse_name(warehouse_name)
        if fused not in self.names:
            self.names.append(fused)
        layer = {"prefix": prefix, "cin": cin, "cout": cout, "kernel_size": kernel_size,
                 "stride": stride, "padding": padding, "groups": groups, "bias": bias,
                 "warehouse": self.names.index(fused), "warehouse_name": fused}
        self.layers.append(layer)
        return layer

    # ---------------------------------------------------------------- store
    def store(self):
        count = len(self.names)
        reduction = _per_warehouse(self.reduction, count)
        cnr = _per_warehouse(self.cell_num_ratio, count)
        cir = _per_warehouse(self.cell_inplane_ratio, count)
        cor = _per_warehouse(self.cell_outplane_ratio, count)
        self.warehouses = []
        for w, name in enumerate(self.names):
            members = [l for l in self.layers if l["warehouse"] == w]
            gcd_out = members[0]["cout"]
            gcd_in = members[0]["cin"] // members[0]["groups"]
            for l in members:
                gcd_out = math.gcd(gcd_out, l["cout"])
                gcd_in = math.gcd(gcd_in, l["cin"] // l["groups"])
            ci = max(int(gcd_in * cir[w]), 1)
            co = max(int(gcd_out * cor[w]), 1)
            cell_kernel = (1, 1)  # spatial_partition is always True
            total = 0
            for l in members:
                # The code's left-to-right integer arithmetic.
                groups_channel = int(l["cout"] // co * (l["cin"] // l["groups"]) // ci)
                groups_spatial = l["kernel_size"] * l["kernel_size"] // (cell_kernel[0] * cell_kernel[1])
                total += groups_spatial * groups_channel
            M = max(int(total * cnr[w]), 1)
            self.warehouses.append({"name": name, "M": M, "co": co, "ci": ci,
                                    "cell_kernel": cell_kernel, "reduction": reduction[w],
                                    "cell_num_ratio": cnr[w], "layers": []})

    # ------------------------------------------------------------- allocate
    def allocate(self, registration_order):
        """`registration_order`: the KW layer records in network.modules() order."""
        assert sorted(id(l) for l in registration_order) == sorted(id(l) for l in self.layers)
        end = [0] * len(self.warehouses)
        for layer in registration_order:
            w = layer["warehouse"]
            wh = self.warehouses[w]
            co, ci, (ckh, ckw) = wh["co"], wh["ci"], wh["cell_kernel"]
            go = layer["cout"] // co
            gi = layer["cin"] // ci // layer["groups"]
            gs = layer["kernel_size"] * layer["kernel_size"] // (ckh * ckw)
            n = go * gi * gs
            cnr = wh["cell_num_ratio"]
            if cnr >= 1.0:
                count = n * int(cnr)
            else:
                q = int(1.0 / cnr)
                count = sum(1 for m in range(n) if m % q == (m // q) % q)
            nonlocal_mode = self.nonlocal_basis_ratio < 1.0
            num_local_cell = int(cnr * n)
            layer.update({"go": go, "gi": gi, "gs": gs, "n": n, "start": end[w],
                          "hidden": max(int(layer["cin"] * wh["reduction"]), 16),
                          "nonlocal": nonlocal_mode, "num_local_cell": num_local_cell})
            if nonlocal_mode:
                layer["num_basis"] = max(int((wh["M"] - num_local_cell) * self.nonlocal_basis_ratio), 16)
            end[w] += count
            wh["layers"].append(layer)
        for w, wh in enumerate(self.warehouses):
            if end[w] != wh["M"]:
                raise AssertionError("warehouse %d (%s): allocated %d cells, M = %d"
                                     % (w, wh["name"], end[w], wh["M"]))

    @staticmethod
    def weight_name(w):
        return "warehouse_manager.weights.%d" % w

    def parameter_count(self):
        """Warehouses + attention parameters (BN running stats excluded)."""
        total = 0
        for wh in self.warehouses:
            total += wh["M"] * wh["co"] * wh["ci"] * wh["cell_kernel"][0] * wh["cell_kernel"][1]
        for l in self.layers:
            M = self.warehouses[l["warehouse"]]["M"]
            hid, n = l["hidden"], l["n"]
            total += hid * l["cin"] + 2 * hid
            if l["nonlocal"]:
                L, Nb = l["num_local_cell"], l["num_basis"]
                total += n * (L + Nb + 1) * hid + (M - L) * Nb + n * (M + 1)
            else:
                total += n * (M + 1) * hid + n * (M + 1)
            if l["bias"]:
                total += l["cout"]
        return total

    def describe(self):
        lines = []
        for w, wh in enumerate(self.warehouses):
            lines.append("warehouse %d (%s): cells [%d, %d, 1, 1], M = %d; %s" % (
                w, wh["name"], wh["co"], wh["ci"], wh["M"],
                ", ".join("%s n=%d start=%d" % (l["prefix"], l["n"], l["start"]) for l in wh["layers"])))
        return lines

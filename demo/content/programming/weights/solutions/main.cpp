#include <algorithm>
#include <cstdio>
#include <vector>

// Sort the weights; two pointers from both ends meet in the middle: O(n log n).
int main() {
    int n;
    long long k;
    if (std::scanf("%d %lld", &n, &k) != 2) return 0;
    std::vector<long long> a(n);
    for (auto &x : a) std::scanf("%lld", &x);
    std::sort(a.begin(), a.end());
    long long pairs = 0;
    int i = 0, j = n - 1;
    while (i < j) {
        long long sum = a[i] + a[j];
        if (sum < k) {
            ++i;
        } else if (sum > k) {
            --j;
        } else if (a[i] == a[j]) {
            long long m = j - i + 1;  // all the weights between are equal
            pairs += m * (m - 1) / 2;
            break;
        } else {
            long long left = 1, right = 1;
            while (i + 1 < j && a[i + 1] == a[i]) ++i, ++left;
            while (j - 1 > i && a[j - 1] == a[j]) --j, ++right;
            pairs += left * right;
            ++i;
            --j;
        }
    }
    std::printf("%lld\n", pairs);
    return 0;
}

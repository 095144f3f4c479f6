a, b = map(int, input().split())
if a > b:
    print("Аня")
elif b > a:
    print("Боря")
else:
    print("Ничья")

a, b = map(int, input().split())
if a > b:
    print("Аня")
# А если больше у Бори? А если поровну?

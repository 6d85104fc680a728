#!/usr/bin/env python3
# coding=utf-8
y = '中文' 1
